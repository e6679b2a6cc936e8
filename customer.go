package followup

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Tier is a customer's value class (客户等级). It drives the contact cadence.
type Tier string

// The tiers, from most to least valuable.
const (
	TierS Tier = "S"
	TierA Tier = "A"
	TierB Tier = "B"
	TierC Tier = "C"
)

// Tiers lists every tier in order, for menus and reports.
func Tiers() []Tier { return []Tier{TierS, TierA, TierB, TierC} }

// Valid reports whether t is one of the four tiers.
func (t Tier) Valid() bool {
	switch t {
	case TierS, TierA, TierB, TierC:
		return true
	}
	return false
}

// Stage is a step of the sales funnel (销售漏斗).
type Stage string

// The funnel: lead → intent → quoted → won; lost from any stage.
const (
	StageLead   Stage = "lead"
	StageIntent Stage = "intent"
	StageQuoted Stage = "quoted"
	StageWon    Stage = "won"
	StageLost   Stage = "lost"
)

// Stages lists every stage in funnel order.
func Stages() []Stage { return []Stage{StageLead, StageIntent, StageQuoted, StageWon, StageLost} }

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	for _, v := range Stages() {
		if s == v {
			return true
		}
	}
	return false
}

// CustomerKind says whether a customer is a company or a person.
type CustomerKind string

// The customer kinds.
const (
	KindCompany CustomerKind = "company"
	KindPerson  CustomerKind = "person"
)

// Length limits on what a person types. They bound storage and keep every value inside
// Slack's own limits when it is shown again (a section's text is at most 3,000 characters).
const (
	MaxNameLen  = 200
	MaxShortLen = 200 // industry, source, region, contact name, title...
	MaxTextLen  = 3000
)

// Customer is a company or person the team sells to (客户).
type Customer struct {
	ID             int64
	Code           string // human-readable and unique, e.g. C202405001
	Name           string
	Kind           CustomerKind
	Industry       string
	Size           string
	Region         string
	Address        string
	Source         string
	FirstContactOn *time.Time
	OwnerID        string // Slack user id of the rep who owns the customer
	Tier           Tier
	Stage          Stage
	LostReason     string
	ChurnRisk      bool
	ExceptionNote  string
	Tags           []string
	Notes          string
	LastTouchAt    *time.Time // the last logged follow-up; cadence counts from here
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Contact is a person at a customer (联系人).
type Contact struct {
	ID         int64
	CustomerID int64
	Name       string
	Title      string
	Role       string // decision maker, influencer, user
	Phone      string
	Email      string
	IM         string
	Primary    bool
}

// NewCustomer is what a rep submits to add a customer.
type NewCustomer struct {
	Name     string
	Code     string // optional; generated when empty
	Kind     CustomerKind
	Industry string
	Tier     Tier
	Source   string
	Notes    string
	IDNumber string // unified social credit code or ID number; optional, personal data
	OwnerID  string
	Contact  Contact
}

// Normalize trims every field and canonicalises codes and phone numbers, so that what is
// validated is exactly what is stored.
func (c *NewCustomer) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	c.Industry = strings.TrimSpace(c.Industry)
	c.Source = strings.TrimSpace(c.Source)
	c.Notes = strings.TrimSpace(c.Notes)
	c.Contact.Name = strings.TrimSpace(c.Contact.Name)
	c.Contact.Email = strings.TrimSpace(c.Contact.Email)
	c.Contact.Phone = NormalizePhone(c.Contact.Phone)
	c.IDNumber = NormalizeIDNumber(c.IDNumber)
	if c.Kind == "" {
		c.Kind = KindCompany
	}
}

// Validate returns FieldErrors keyed by form field for everything that is wrong.
func (c NewCustomer) Validate() error {
	fe := FieldErrors{}
	requireText(fe, "name", c.Name, MaxNameLen, "Enter the customer's name.")
	if c.Code != "" && !validCode(c.Code) {
		fe["code"] = "A code has 2 to 32 letters, digits, dashes or underscores (e.g. C202405001)."
	}
	requireText(fe, "industry", c.Industry, MaxShortLen, "Enter the industry.")
	if !c.Tier.Valid() {
		fe["tier"] = "Pick a tier: S, A, B or C."
	}
	requireText(fe, "source", c.Source, MaxShortLen, "Enter where the customer came from.")
	requireText(fe, "contact_name", c.Contact.Name, MaxShortLen, "Enter a contact's name.")
	if c.Contact.Phone == "" {
		fe["contact_phone"] = "Enter the contact's phone number."
	} else if !ValidPhone(c.Contact.Phone) {
		fe["contact_phone"] = "That does not look like a phone number (6 to 20 digits, e.g. +86 138 0000 5678)."
	}
	if c.Contact.Email != "" && !ValidEmail(c.Contact.Email) {
		fe["contact_email"] = "That does not look like an email address (name@example.com)."
	}
	if c.IDNumber != "" && !ValidIDNumber(c.IDNumber) {
		fe[FieldIDNumber] = "That does not look like a credit code or ID number (6 to 32 letters and digits; an 18-character one ends in its check character)."
	}
	if utf8.RuneCountInString(c.Notes) > MaxTextLen {
		fe["notes"] = tooLong(MaxTextLen)
	}
	if c.Kind != KindCompany && c.Kind != KindPerson {
		fe["kind"] = "Pick company or person."
	}
	return fe.Err()
}

// requireText records an error for field when value is empty or longer than max runes.
func requireText(fe FieldErrors, field, value string, max int, missing string) {
	switch {
	case value == "":
		fe[field] = missing
	case utf8.RuneCountInString(value) > max:
		fe[field] = tooLong(max)
	}
}

func tooLong(max int) string {
	return "Please keep this under " + strconv.Itoa(max) + " characters."
}

func validCode(code string) bool {
	if len(code) < 2 || len(code) > 32 {
		return false
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// NormalizePhone keeps a leading '+' and the digits of a phone number, dropping the spaces,
// dashes, dots and brackets people type, so "138-0000-5678" and "138 0000 5678" compare equal.
// Full-width digits are folded to ASCII.
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case (r == '+' || r == '＋') && i == 0:
			b.WriteByte('+')
		case unicode.IsSpace(r) || strings.ContainsRune("-.()（）", r):
			// separators people type; not part of the number
		default:
			return strings.TrimSpace(s) // keep it as typed so validation can reject it
		}
	}
	return b.String()
}

// ValidPhone reports whether a normalized phone number has 6 to 20 digits.
func ValidPhone(phone string) bool {
	digits := strings.TrimPrefix(phone, "+")
	if len(digits) < 6 || len(digits) > 20 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a bare address such as name@example.com.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
