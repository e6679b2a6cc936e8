package followup

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// QuickLog is what a one-line log says, before the customer reference is resolved.
type QuickLog struct {
	CustomerRef string // code, name or part of a name, as typed
	Summary     string // what happened
	NextAction  string // the next step with its date phrase removed; "" when none
	Due         *Due   // nil when the next step names no date
}

// Fields a QuickLogError can point at.
const (
	QuickLogFieldCustomer = "customer"
	QuickLogFieldSummary  = "summary"
)

// QuickLogError explains why a one-line log could not be read. Message is written
// for the rep and repeats the expected format, so it can be shown as is.
type QuickLogError struct {
	Field   string // the part at fault: QuickLogFieldCustomer or QuickLogFieldSummary
	Message string // friendly English, saying what to write instead
}

// Error implements error.
func (e *QuickLogError) Error() string {
	return "quick log " + e.Field + ": " + e.Message
}

// Unwrap presents e as an EINVALID *Error, so ErrorCode and ErrorMessage treat it
// like any other bad input instead of as an internal failure.
func (e *QuickLogError) Unwrap() error {
	return &Error{Code: EINVALID, Message: e.Message}
}

const quickLogFormat = `Write it as "<customer>: <what happened> next: <next step and when>", ` +
	`e.g. "Acme: called Wang, wants a discount next: send the revised quote in 3 days".`

// ParseQuickLog reads `<customer>: <what happened> [next: <action and when>]`.
//
// The customer ends at the first ':' or '：' that is not part of a clock time. The next step starts at "next:",
// "next step:" or "下一步" (colon optional for 下一步, and for "next step" after a
// punctuation mark); when several are present, the first with a colon wins, so
// "讨论了下一步计划 下一步：..." splits at the second. The due date is looked up in
// the next step with ParseDue and cut out of NextAction.
//
// Errors are *QuickLogError.
func ParseQuickLog(text string, now time.Time, loc *time.Location) (QuickLog, error) {
	colon, width := quickLogCustomerColon(text)
	if colon < 0 {
		return QuickLog{}, quickLogErr(QuickLogFieldCustomer,
			"Put a colon after the customer, then say what happened. "+quickLogFormat)
	}
	customer, rest := strings.TrimSpace(text[:colon]), text[colon+width:]
	if customer == "" || quickLogEndsInMarker.MatchString(dueFold(customer).s) {
		// "next: call Wang" has no customer: its colon belongs to the marker.
		return QuickLog{}, quickLogErr(QuickLogFieldCustomer,
			"Start with the customer's name or code, then a colon. "+quickLogFormat)
	}

	summary, next := splitNextStep(rest)
	if summary == "" {
		return QuickLog{}, quickLogErr(QuickLogFieldSummary,
			"Say what happened after the customer's name. "+quickLogFormat)
	}
	action, due := parseNextStep(next, now, loc)
	return QuickLog{CustomerRef: customer, Summary: summary, NextAction: action, Due: due}, nil
}

// splitNextStep splits text at its next-step marker (see ParseQuickLog) into what
// happened and the next step, both trimmed. next is "" when there is no marker.
func splitNextStep(text string) (summary, next string) {
	summary = text
	if m, ok := quickLogFindMarker(text); ok {
		summary = strings.TrimRightFunc(text[:m.start], quickLogIsSeparator)
		next = strings.TrimSpace(text[m.end:])
	}
	return strings.TrimSpace(summary), next
}

// parseNextStep finds the due date in a next step and returns the step without it,
// tidied. due is nil when the step names no date.
func parseNextStep(next string, now time.Time, loc *time.Location) (action string, due *Due) {
	if next == "" {
		return "", nil
	}
	d, at, ok := findDue(next, now, loc, nil)
	if !ok {
		return quickLogTidy(next), nil
	}
	return quickLogTidy(quickLogCut(next, at, at+len(d.Phrase))), &d
}

// quickLogCustomerColon returns the offset and width of the colon that ends the
// customer, or -1. A colon between digits is a clock time ("met at 10:30"), not
// the end of the customer.
func quickLogCustomerColon(text string) (int, int) {
	for i, r := range text {
		if r != ':' && r != '：' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
		if !dueIsDigit(before) || !dueIsDigit(after) {
			return i, utf8.RuneLen(r)
		}
	}
	return -1, 0
}

func quickLogErr(field, message string) *QuickLogError {
	return &QuickLogError{Field: field, Message: message}
}

// The next-step markers, matched against folded text (lower case, ASCII colons).
// English "next" needs a colon, or "next step" a punctuation mark before it,
// because "next week" and "nextgen" are ordinary words in a summary; 下一步 is
// unambiguous enough on its own.
var (
	quickLogMarkerEN     = regexp.MustCompile(`(?:^|[^a-z0-9_])(next(?:\s+steps?)?\s*:)`)
	quickLogMarkerCN     = regexp.MustCompile(`(下一步\s*(:)?)`)
	quickLogMarkerBareEN = regexp.MustCompile(`[;,.。、]\s*(next\s+steps?)\s`)
	quickLogEndsInMarker = regexp.MustCompile(`(?:^|[^a-z0-9_])next(?:\s+steps?)?\s*$|下一步\s*$`)
)

// quickLogMarker is where the next step is introduced, as byte offsets into the
// text searched.
// quickLogMarkers are the marker patterns with a literal every match of each contains.
var quickLogMarkers = []struct {
	re   *regexp.Regexp
	hint string
}{{quickLogMarkerEN, "next"}, {quickLogMarkerCN, "下一步"}, {quickLogMarkerBareEN, "next"}}

type quickLogMarker struct {
	start, end int
	colon      bool
}

// quickLogFindMarker returns the first marker with a colon, or else the first one.
func quickLogFindMarker(text string) (quickLogMarker, bool) {
	f := dueFold(text)
	var found []quickLogMarker
	for _, m := range quickLogMarkers {
		if !strings.Contains(f.s, m.hint) { // every match holds it; most texts lack it
			continue
		}
		for _, loc := range m.re.FindAllStringSubmatchIndex(f.s, -1) {
			found = append(found, quickLogMarker{
				start: f.orig[loc[2]],
				end:   f.orig[loc[3]],
				colon: strings.HasSuffix(f.s[loc[2]:loc[3]], ":"),
			})
		}
	}
	var best quickLogMarker
	ok := false
	for _, m := range found {
		if !ok || m.colon && !best.colon || m.colon == best.colon && m.start < best.start {
			best, ok = m, true
		}
	}
	return best, ok
}

// quickLogIsSeparator reports whether r may sit between the summary and the marker.
func quickLogIsSeparator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(";；,，.。、", r)
}

var (
	quickLogDanglingEN = regexp.MustCompile(`(?i)(?:^|\s)(?:by|before|on|until|till|due)\s*$`)
	quickLogDanglingCN = regexp.MustCompile(`^(?:之前|以前|前)`)
)

// quickLogCut removes text[start:end], the date phrase, along with a connector it
// leaves dangling ("by", "前"), and joins what is left.
func quickLogCut(text string, start, end int) string {
	before := strings.TrimRightFunc(text[:start], unicode.IsSpace)
	after := strings.TrimLeftFunc(text[end:], unicode.IsSpace)
	if loc := quickLogDanglingEN.FindStringIndex(before); loc != nil {
		before = strings.TrimRightFunc(before[:loc[0]], unicode.IsSpace)
	}
	if loc := quickLogDanglingCN.FindStringIndex(after); loc != nil {
		// Only a 前 that ends a clause: in 前往 (go to) it starts the next word.
		if r, _ := utf8.DecodeRuneInString(after[loc[1]:]); loc[1] == len(after) || quickLogIsSeparator(r) {
			after = after[loc[1]:]
		}
	}
	if before == "" || after == "" {
		return before + after
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	first, _ := utf8.DecodeRuneInString(after)
	if unicode.IsPunct(first) || unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, first) {
		return before + after // "call Wang, then..."; Chinese has no spaces
	}
	return before + " " + after
}

// quickLogTidy collapses runs of spaces and trims punctuation left at either end.
func quickLogTidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimFunc(s, func(r rune) bool {
		return quickLogIsSeparator(r) || r == ':' || r == '：'
	})
}
