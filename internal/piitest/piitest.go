// Package piitest recognises personal data in the clear, for the tests that make sure none
// is stored (storagetest) or logged (logtest).
package piitest

import (
	"bytes"
	"regexp"
)

// Patterns of personal data in the clear: a Chinese mobile number (138 0000 5678 written in
// any of the usual ways), an 18-character resident ID number and a unified social credit
// code, each standing alone rather than inside a longer run of digits or letters. The
// first group is the match.
var (
	MobilePattern     = regexp.MustCompile(`(?:^|[^0-9])((?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2})(?:[^0-9]|$)`)
	IDNumberPattern   = regexp.MustCompile(`(?:^|[^0-9])([1-9][0-9]{16}[0-9X])(?:[^0-9A-Za-z]|$)`)
	CreditCodePattern = regexp.MustCompile(`(?:^|[^0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})(?:[^0-9A-Za-z]|$)`)
)

// Find says what personal data v holds in the clear, "" for none: one of needles as it
// is, or a match of a pattern.
func Find(v []byte, needles []string) string {
	for _, n := range needles {
		if n != "" && bytes.Contains(v, []byte(n)) {
			return "contains " + n
		}
	}
	for _, p := range []*regexp.Regexp{MobilePattern, IDNumberPattern, CreditCodePattern} {
		if m := p.FindSubmatch(v); m != nil {
			return "matches " + string(m[1])
		}
	}
	return ""
}
