package followup

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Personal data (DESIGN §1): contacts' phone numbers and emails, and a customer's unified
// social credit code (统一社会信用代码) or ID number. They are encrypted at rest, shown in full
// only to those CanSeePersonalData allows and masked to everyone else, and every full view
// is written to the audit log.

// The personal fields, named as the New customer form's blocks; audit rows name them too.
const (
	FieldPhone    = "contact_phone"
	FieldEmail    = "contact_email"
	FieldIDNumber = "id_number"
)

// PersonalData is a customer's personal data: the ID number and the contacts with their
// phones and emails. Full says whether the values are shown as stored or masked.
type PersonalData struct {
	CustomerID int64
	IDNumber   string
	Contacts   []Contact // the primary one first
	Full       bool
}

// Fields lists the personal fields that hold a value, for the audit log.
func (d PersonalData) Fields() []string {
	var fields []string
	add := func(field string, has bool) {
		if has && !slices.Contains(fields, field) {
			fields = append(fields, field)
		}
	}
	for _, c := range d.Contacts {
		add(FieldPhone, c.Phone != "")
		add(FieldEmail, c.Email != "")
	}
	add(FieldIDNumber, d.IDNumber != "")
	return fields
}

// Fields lists the personal fields a new customer sets.
func (c NewCustomer) Fields() []string {
	return PersonalData{IDNumber: c.IDNumber, Contacts: []Contact{c.Contact}}.Fields()
}

// Viewer is someone asking to see a record, with what access decisions need to know
// about them beyond the person.
type Viewer struct {
	Person
	ManagedTeamIDs []int64 // the teams they are the manager of
}

// CanSeePersonalData reports whether v may see customer c's personal data in full: admins
// always, the customer's owner, and the manager of the owner's team. owner is c's owner as
// a person (their team decides who manages them). Everyone else sees it masked. It is
// Allowed's SeePersonalData rule.
func CanSeePersonalData(v Viewer, c Customer, owner Person) bool {
	return Allowed(v, SeePersonalData, CustomerResource(c, owner, nil))
}

// DefaultCountryCode is the country a phone number written without one is taken to be in:
// followup's teams sell in China.
const DefaultCountryCode = "86"

// PhoneMatchKey is the canonical form in which phone numbers are compared (and hashed for
// the search index): "+" and the country code, then the national number, digits only. A
// number written without a country code is Chinese: "138 0000 5678", "+86 138-0000-5678",
// "0086 13800005678" and "8613800005678" are all +8613800005678; a national trunk prefix
// is dropped, so "010 1234 5678" and "+86 (0)10 1234 5678" agree. A number with another
// country code (+ or 00 first) keeps it, and matches only when written with it. "" when
// phone is not a phone number.
func PhoneMatchKey(phone string) string {
	n := NormalizePhone(phone)
	if !ValidPhone(n) {
		return ""
	}
	digits, intl := strings.CutPrefix(n, "+")
	if !intl {
		if rest, ok := strings.CutPrefix(digits, "00"); ok {
			digits, intl = rest, true
		}
	}
	switch {
	case intl && !strings.HasPrefix(digits, DefaultCountryCode):
		return "+" + digits
	case intl:
		digits = strings.TrimPrefix(digits, DefaultCountryCode)
	case len(digits) == 13 && strings.HasPrefix(digits, DefaultCountryCode+"1"):
		digits = digits[len(DefaultCountryCode):] // +86 and a mobile number, written without the +
	}
	return "+" + DefaultCountryCode + strings.TrimPrefix(digits, "0")
}

// MaskPhone hides the middle of a phone number, as Chinese apps do: 138****5678. The
// country code of a +86 number is kept apart (+86 138****5678); shorter numbers keep less.
func MaskPhone(phone string) string {
	n := NormalizePhone(phone)
	if !ValidPhone(n) {
		return maskAll(phone)
	}
	prefix := ""
	if rest, ok := strings.CutPrefix(n, "+"+DefaultCountryCode); ok {
		prefix, n = "+"+DefaultCountryCode+" ", rest
	} else if rest, ok := strings.CutPrefix(n, "+"); ok {
		prefix, n = "+", rest
	}
	switch l := len(n); {
	case l >= 10:
		return prefix + n[:3] + strings.Repeat("*", l-7) + n[l-4:]
	case l >= 7:
		return prefix + n[:2] + strings.Repeat("*", l-4) + n[l-2:]
	default:
		return prefix + strings.Repeat("*", l-2) + n[l-2:]
	}
}

// MaskEmail keeps the first character and the domain: l***@acme.example. The domain is
// the company's, not the person's.
func MaskEmail(email string) string {
	at := strings.LastIndex(email, "@")
	if at < 1 {
		return maskAll(email)
	}
	first, _ := utf8.DecodeRuneInString(email)
	return string(first) + "***" + email[at:]
}

// MaskIDNumber keeps the first 4 and the last 4 characters of a credit code or ID number
// (9131**********XQ37), fewer of a short one.
func MaskIDNumber(id string) string {
	r := []rune(id)
	switch l := len(r); {
	case l >= 12:
		return string(r[:4]) + strings.Repeat("*", l-8) + string(r[l-4:])
	case l >= 6:
		return string(r[:2]) + strings.Repeat("*", l-4) + string(r[l-2:])
	}
	return maskAll(id)
}

func maskAll(s string) string { return strings.Repeat("*", utf8.RuneCountInString(s)) }

// NormalizeIDNumber upper-cases a credit code or ID number and drops the spaces and dashes
// people type; full-width letters and digits are folded to ASCII.
func NormalizeIDNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r -= '０' - '0'
		case r == ' ' || r == '-' || r == '　':
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidIDNumber reports whether a normalized credit code or ID number can be one: 6 to 32
// letters and digits. An 18-character value written as a unified social credit code
// (GB 32100) or a resident ID number (GB 11643) must carry that standard's check
// character, since nobody who sees it masked could spot a typo.
func ValidIDNumber(id string) bool {
	if len(id) < 6 || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	if len(id) != 18 {
		return true
	}
	switch {
	case validResidentID(id) || validCreditCode(id):
		return true
	case looksLikeResidentID(id) || strings.IndexFunc(id, notCreditCodeChar) < 0:
		return false // one of the two, with a wrong check character
	}
	return true // 18 characters of another country's number
}

func looksLikeResidentID(id string) bool {
	for i, r := range id {
		if !(r >= '0' && r <= '9' || i == 17 && r == 'X') {
			return false
		}
	}
	return true
}

// validResidentID checks the ISO 7064 MOD 11-2 check character of an 18-digit ID number.
func validResidentID(id string) bool {
	if !looksLikeResidentID(id) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(id[i]-'0') * w
	}
	return "10X98765432"[sum%11] == id[17]
}

// creditCodeChars are the 31 characters of a unified social credit code, by value
// (no I, O, S, V or Z).
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func notCreditCodeChar(r rune) bool { return !strings.ContainsRune(creditCodeChars, r) }

// validCreditCode checks the GB 32100-2015 check character of a credit code.
func validCreditCode(code string) bool {
	if strings.IndexFunc(code, notCreditCodeChar) >= 0 {
		return false
	}
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, w := range weights {
		sum += strings.IndexByte(creditCodeChars, code[i]) * w
	}
	check := (31 - sum%31) % 31
	return creditCodeChars[check] == code[17]
}
