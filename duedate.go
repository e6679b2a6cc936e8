package followup

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Due is a deadline found in free text.
type Due struct {
	At      time.Time // the moment it is due, in loc
	HasTime bool      // a time of day was given ("3pm"); otherwise At is the start of that day (00:00 in loc)
	Phrase  string    // the exact substring of text that named the date, so callers can strip it from the action text
}

// ParseDue finds the deadline named in text, relative to now in loc (now.Location() when loc is nil).
//
// It reads English and Simplified Chinese, ignoring case and accepting full-width
// digits, letters and punctuation. The rules, chosen so that a rep's wording maps to
// exactly one day:
//   - Weeks start on Monday (ISO 8601, and what 本周/下周 mean in Chinese).
//   - A bare weekday ("Friday", "周五") is the first one strictly after today;
//     "next Friday" and "下周五" are the Friday of next week; "本周五"/"这周五" is this
//     week's Friday, even if that is today; "this Friday" is the first one on or after today.
//   - "by X", "before X", "X前" and "X之前" all mean due on X.
//   - "end of week" is Friday, the end of the working week; "weekend" and "周末" are Sunday.
//   - A date without a year is the next such date on or after today.
//   - A time of day on its own ("3pm") means today.
//
// It reports false rather than guess: when nothing date-like is found, when two
// phrases name different days, when a date does not exist (2/30) or lies in the past
// (a past year, 本周一 on a Wednesday, "today 9am" at 10am), and for references to the
// past such as "yesterday", "last Friday" or "3 days ago". Possessives ("today's
// notes") and counts that are not dates ("send 3 samples", "5% off") are ignored.
func ParseDue(text string, now time.Time, loc *time.Location) (Due, bool) {
	d, _, ok := findDue(text, now, loc, nil)
	return d, ok
}

// dueWork counts the steps a parse takes, so that a test can check that the work
// grows linearly with the input without timing anything. A step is a byte the
// regexp engine is handed or a phrase compared. A nil *dueWork counts nothing.
type dueWork struct{ steps int }

func (w *dueWork) add(n int) {
	if w != nil {
		w.steps += n
	}
}

// findDue is ParseDue that also returns the byte offset of Phrase in text, because
// the same words can appear more than once ("monitor ... by mon"). w, when not nil,
// counts the work done.
func findDue(text string, now time.Time, loc *time.Location, w *dueWork) (Due, int, bool) {
	if loc == nil {
		loc = now.Location()
	}
	c := newDueClock(now, loc)
	f := dueFold(text)

	var (
		span    dueSpan
		at      time.Time
		hasTime bool
	)
	days := dueLongestFirst(dueScanDays(f.s, c, w), w)
	times := dueLongestFirst(dueScanTimes(f.s, w), w)
	switch {
	case len(days) > 0:
		d, ok := dueAgreedDay(f.s, days, w)
		if !ok {
			return Due{}, 0, false
		}
		span, at = d.dueSpan, d.day
		if t, ok := dueAdjacentTime(f.s, d.dueSpan, times, w); ok {
			span = dueSpan{min(span.start, t.start), max(span.end, t.end)}
			at, hasTime = t.on(at, d.evening), true
		}
	case len(times) == 1:
		span, at, hasTime = times[0].dueSpan, times[0].on(c.today, false), true
	default:
		return Due{}, 0, false
	}
	if at.Before(c.today) || hasTime && at.Before(c.now) {
		return Due{}, 0, false
	}
	span = dueWithConnectors(f.s, span, w)
	start, end := f.orig[span.start], f.orig[span.end]
	return Due{At: at, HasTime: hasTime, Phrase: text[start:end]}, start, true
}

// dueFolded is text folded for matching: ASCII letters in lower case, full-width
// forms and odd spaces turned into ASCII. Each rune is replaced by exactly one rune,
// so orig can map every byte offset of s back to text, which keeps Phrase an exact
// substring of what the rep typed.
type dueFolded struct {
	s    string
	orig []int // orig[i] is the offset in text of the rune that produced s[i]; orig[len(s)] == len(text)
}

func dueFold(text string) dueFolded {
	var b strings.Builder
	b.Grow(len(text))
	orig := make([]int, 0, len(text)+1)
	for i, r := range text {
		switch {
		case r >= 'Ａ' && r <= 'Ｚ':
			r = r - 'Ａ' + 'a'
		case r >= '！' && r <= '～': // full-width ASCII block: ０-９, ：, ，, ；, ａ-ｚ...
			r -= '！' - '!'
		case r == '\u3000' || r == '\u00a0': // ideographic and no-break space
			r = ' '
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			orig = append(orig, i)
		}
	}
	return dueFolded{s: b.String(), orig: append(orig, len(text))}
}

// dueClock is the moment relative phrases are measured from.
type dueClock struct {
	now   time.Time // in the rep's location
	today time.Time // the start of now's day
}

func newDueClock(now time.Time, loc *time.Location) dueClock {
	now = now.In(loc)
	y, m, d := now.Date()
	return dueClock{now: now, today: time.Date(y, m, d, 0, 0, 0, 0, loc)}
}

// day returns the start of the day n days after today. It goes through time.Date
// rather than adding hours so that it stays on midnight across DST changes.
func (c dueClock) day(n int) time.Time {
	y, m, d := c.today.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, c.today.Location())
}

// weekday returns weekday wd of the week that is weeks after this one.
func (c dueClock) weekday(weeks int, wd time.Weekday) time.Time {
	return c.day(7*weeks + dueISOWeekday(wd) - dueISOWeekday(c.today.Weekday()))
}

// after returns the first wd strictly after today.
func (c dueClock) after(wd time.Weekday) time.Time {
	n := (int(wd) - int(c.today.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return c.day(n)
}

// onOrAfter returns the first wd from today on.
func (c dueClock) onOrAfter(wd time.Weekday) time.Time {
	return c.day((int(wd) - int(c.today.Weekday()) + 7) % 7)
}

// monthDay returns day d of the month that is months after this one, clamped to
// that month's length, so "next month" on 31 January is 28 February.
func (c dueClock) monthDay(months, d int) time.Time {
	y, m, _ := c.today.Date()
	m += time.Month(months)
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, c.today.Location()).Day()
	return time.Date(y, m, min(d, last), 0, 0, 0, 0, c.today.Location())
}

// date returns y-m-d if that day exists and is not before today.
func (c dueClock) date(y int, m time.Month, d int) (time.Time, bool) {
	if m < time.January || m > time.December || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, c.today.Location())
	if _, tm, td := t.Date(); tm != m || td != d || t.Before(c.today) {
		return time.Time{}, false
	}
	return t, true
}

// upcoming returns the next m-d on or after today, for dates written without a year.
func (c dueClock) upcoming(m time.Month, d int) (time.Time, bool) {
	// 29 February can be eight years away (2096, then 2104).
	for y := c.today.Year(); y <= c.today.Year()+8; y++ {
		if t, ok := c.date(y, m, d); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// dueISOWeekday numbers weekdays from Monday = 0.
func dueISOWeekday(wd time.Weekday) int { return (int(wd) + 6) % 7 }

// dueSpan is a byte range of the folded text.
type dueSpan struct{ start, end int }

func (s dueSpan) span() dueSpan { return s }

// dueDay is a date phrase found in the text.
type dueDay struct {
	dueSpan
	day     time.Time
	ok      bool // false: the phrase names a date, but not one that exists and is still ahead
	evening bool // a bare hour next to it is p.m. (今晚8点)
}

// dueKind says which guards apply to a phrase, see dueStandsAlone.
type dueKind int

const (
	dueKindDate     dueKind = iota
	dueKindDuration         // "3 days": "for 3 days" and "3 days ago" are not deadlines
	dueKindTime
)

// dueRecognizer finds one family of date phrases.
type dueRecognizer struct {
	re *regexp.Regexp
	// hints are literals of which every match of re contains at least one (nil: no such
	// list). Checking for them first spares most texts most regexps: Go's engines try
	// every alternative at every position, about 2 µs a byte for all families together.
	// TestDueHintsAreSound and FuzzDueHints check that no match lacks its hint.
	hints []string
	kind  dueKind
	// resolve turns the submatches into a day. false means the phrase does name a
	// date, but not a valid upcoming one (31 June, a past year, 本周一 on a
	// Wednesday), which makes the whole text ambiguous rather than dateless.
	resolve func(c dueClock, m []string) (time.Time, bool)
	evening bool // the phrase itself says evening: 今晚, tonight
}

// dueRecognizers lists every date phrase family. To support more phrases, add a
// family func here; overlapping matches are settled by length, so a family does not
// need to know about the others.
var dueRecognizers = slices.Concat(
	dueFixedPhrases(),
	dueEveningPhrases(),
	dueDurations(),
	dueWeekdays(),
	dueNumericDates(),
	dueMonthNameDates(),
	dueChineseDates(),
)

// Number patterns shared by the families. Chinese numerals go up to 99 (九十九).
const (
	dueCN    = `[零〇一二两三四五六七八九十]{1,3}`
	dueENNum = `\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve`
)

// dueFixed is a set of words that always name the same day relative to today.
type dueFixed struct {
	phrases []string
	resolve func(c dueClock) (time.Time, bool)
}

// dueFixedPhrases recognises words that always name the same day relative to
// today: today, tomorrow, next week, end of month, 后天, 下个月, 月底...
func dueFixedPhrases() []dueRecognizer {
	days := func(n int) func(dueClock) (time.Time, bool) {
		return func(c dueClock) (time.Time, bool) { return c.day(n), true }
	}
	table := []dueFixed{
		{[]string{"today", "今天", "今日"}, days(0)},
		{[]string{"tomorrow", "tmrw", "tmr", "明天", "明日", "明早"}, days(1)},
		{[]string{"day after tomorrow", "后天"}, days(2)},
		{[]string{"next week", "下周", "下个周", "下星期", "下个星期", "下礼拜", "下个礼拜"},
			func(c dueClock) (time.Time, bool) { return c.weekday(1, time.Monday), true }},
		// The working week ends on Friday; on a weekend "this week" is over, and
		// guessing which week was meant could be a week off, so it is refused.
		{[]string{"end of week", "end of the week", "end of this week", "eow", "this week", "本周内", "这周内", "本周之内", "这周之内"},
			func(c dueClock) (time.Time, bool) {
				t := c.weekday(0, time.Friday)
				return t, !t.Before(c.today)
			}},
		{[]string{"end of next week", "下周内", "下周之内", "下个星期内"},
			func(c dueClock) (time.Time, bool) { return c.weekday(1, time.Friday), true }},
		// 周末 is literally "the weekend", so it is the last day of it: Sunday.
		{[]string{"weekend", "this weekend", "周末", "本周末", "这周末", "这个周末"},
			func(c dueClock) (time.Time, bool) { return c.weekday(0, time.Sunday), true }},
		{[]string{"next weekend", "下周末", "下个周末"},
			func(c dueClock) (time.Time, bool) { return c.weekday(1, time.Sunday), true }},
		{[]string{"end of month", "end of the month", "end of this month", "eom", "this month", "月底", "月末", "本月底", "本月末", "这个月底", "本月内", "这个月内"},
			func(c dueClock) (time.Time, bool) { return c.monthDay(0, 31), true }},
		{[]string{"end of next month", "end of the next month", "下月底", "下个月底", "下月末", "下个月末"},
			func(c dueClock) (time.Time, bool) { return c.monthDay(1, 31), true }},
		{[]string{"next month", "下月", "下个月"},
			func(c dueClock) (time.Time, bool) { return c.monthDay(1, c.today.Day()), true }},
		// Vague parts of next month must not be read as "same day next month".
		{[]string{"early next month", "mid next month", "下月初", "下个月初", "下月中", "下个月中", "下月中旬", "下个月中旬"},
			func(dueClock) (time.Time, bool) { return time.Time{}, false }},
	}
	return []dueRecognizer{dueFixedRecognizer(table, false)}
}

// dueEveningPhrases recognises tonight, 今晚, 明晚...: a bare hour next to them is p.m.
func dueEveningPhrases() []dueRecognizer {
	table := []dueFixed{
		{[]string{"tonight", "this evening", "今晚"},
			func(c dueClock) (time.Time, bool) { return c.day(0), true }},
		{[]string{"tomorrow night", "tomorrow evening", "明晚"},
			func(c dueClock) (time.Time, bool) { return c.day(1), true }},
	}
	return []dueRecognizer{dueFixedRecognizer(table, true)}
}

// dueFixedRecognizer compiles a table of fixed phrases into one regexp. Longer
// phrases come first so that "day after tomorrow" wins over "tomorrow".
func dueFixedRecognizer(table []dueFixed, evening bool) dueRecognizer {
	byPhrase := map[string]func(dueClock) (time.Time, bool){}
	var phrases []string
	for _, f := range table {
		for _, p := range f.phrases {
			variants := []string{p}
			if strings.HasPrefix(p, "end of ") {
				variants = append(variants, "the "+p)
			}
			for _, v := range variants {
				byPhrase[v] = f.resolve
				phrases = append(phrases, v)
			}
		}
	}
	slices.SortFunc(phrases, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	alts := make([]string, len(phrases))
	for i, p := range phrases {
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	// A match contains every word of its phrase; the longest is the one least likely to
	// turn up in a text that names no such phrase ("week" of "end of the week", not "the").
	hints := map[string]bool{}
	for _, p := range phrases {
		words := strings.Fields(p)
		hints[slices.MaxFunc(words, func(a, b string) int { return len(a) - len(b) })] = true
	}
	return dueRecognizer{
		re:      regexp.MustCompile(`(?:` + strings.Join(alts, "|") + `)`),
		hints:   slices.Sorted(maps.Keys(hints)),
		evening: evening,
		resolve: func(c dueClock, m []string) (time.Time, bool) {
			return byPhrase[strings.Join(strings.Fields(m[0]), " ")](c)
		},
	}
}

// dueDurations recognises counts of days, weeks and months from today: in 3 days,
// within two weeks, 3 days, in a month, 3天内, 两周后, 3个月内.
// Chinese needs 内 or 后: a bare "3天" is as likely a length ("试用3天") as a deadline.
func dueDurations() []dueRecognizer {
	return []dueRecognizer{
		{
			re: regexp.MustCompile(`\b(?:(?:in|within)\s+(?:the\s+next\s+)?(a|an|` + dueENNum + `)|(` + dueENNum + `))` +
				`\s*(day|week|month)s?\b(?:\s+(?:from\s+now|from\s+today|later|time))?`),
			hints: []string{"day", "week", "month"},
			kind:  dueKindDuration,
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				return dueAfter(c, m[1]+m[2], m[3])
			},
		},
		{
			re:    regexp.MustCompile(`(\d{1,4}|` + dueCN + `)\s*(个\s*月|个?\s*星期|个?\s*礼拜|周|天|日)\s*(?:之内|以内|内|之后|以后|后)`),
			hints: []string{"内", "后"},
			kind:  dueKindDuration,
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				unit := "week"
				switch {
				case strings.HasSuffix(m[2], "月"):
					unit = "month"
				case m[2] == "天" || m[2] == "日":
					unit = "day"
				}
				return dueAfter(c, m[1], unit)
			},
		},
	}
}

// dueAfter returns the day count units after today. Absurd counts are refused
// rather than scheduled decades ahead.
func dueAfter(c dueClock, count, unit string) (time.Time, bool) {
	n, ok := dueNumber(count)
	if !ok {
		return time.Time{}, false
	}
	switch unit {
	case "day":
		return c.day(n), n <= 3660
	case "week":
		return c.day(7 * n), n <= 520
	default:
		return c.monthDay(n, c.today.Day()), n <= 120
	}
}

// dueWeekdays recognises weekday names: Friday, next Monday, this Friday, Friday
// next week, 周五, 星期五, 下周一, 本周五.
func dueWeekdays() []dueRecognizer {
	const suffix = `(?:\s+(?:of\s+)?(next)\s+week)?\b`
	english := func(c dueClock, m []string) (time.Time, bool) {
		wd := dueWeekdayEN(m[2])
		switch {
		case m[1] == "next" || m[3] != "":
			return c.weekday(1, wd), true
		case m[1] == "this":
			return c.onOrAfter(wd), true
		default:
			return c.after(wd), true
		}
	}
	return []dueRecognizer{
		{
			re: regexp.MustCompile(`\b(?:(next|this)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|thurs|thur|thu|fri)` +
				suffix),
			hints:   []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
			resolve: english,
		},
		// "sat", "sun" and "wed" are also English words, so they count only after a
		// word that introduces a day.
		{
			re:      regexp.MustCompile(`\b(?:(next|this)|on|by|before|until|till|due)\s+(weds|wed|sat|sun)` + suffix),
			hints:   []string{"wed", "sat", "sun"},
			resolve: english,
		},
		{
			re:    regexp.MustCompile(`(下|本|这)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])`),
			hints: []string{"周", "星期", "礼拜"},
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				wd := dueWeekdayCN(m[2])
				switch m[1] {
				case "下":
					return c.weekday(1, wd), true
				case "本", "这":
					t := c.weekday(0, wd)
					return t, !t.Before(c.today)
				default:
					return c.after(wd), true
				}
			},
		},
	}
}

func dueWeekdayEN(name string) time.Weekday {
	i := slices.Index([]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, name[:3])
	return time.Weekday(i)
}

func dueWeekdayCN(name string) time.Weekday {
	switch name {
	case "日", "天", "7":
		return time.Sunday
	case "1", "2", "3", "4", "5", "6":
		return time.Weekday(name[0] - '0')
	}
	n, _ := dueChineseNumber(name)
	return time.Weekday(n)
}

// dueNumericDates recognises dates in digits: 2026-05-20, 2026/5/20, 2026.5.20,
// 5/20, 5/20/2027.
// Slashed dates are month first; "5-20" and "5.20" are left alone as they read as
// ranges and decimals.
func dueNumericDates() []dueRecognizer {
	return []dueRecognizer{
		{
			re:    regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`),
			hints: []string{"-", "/", "."},
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				return dueYMD(c, m[1], m[2], m[3])
			},
		},
		{
			re:    regexp.MustCompile(`(?:\b(by|on|before|until|till|due)\s+)?\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b`),
			hints: []string{"/"},
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				// 1/2, 1/3, 2/3, 1/4 and 3/4 are more often fractions ("1/2 price")
				// than dates, unless a word like "by" says otherwise.
				if month, day := m[2][0]-'0', m[3][0]-'0'; m[1] == "" && m[4] == "" &&
					len(m[2]) == 1 && len(m[3]) == 1 && month < day && day <= 4 {
					return time.Time{}, false
				}
				return dueYMD(c, m[4], m[2], m[3])
			},
		},
	}
}

// dueMonthNameDates recognises English dates: May 20, May 20th, 2027, 20 May, 20th of May.
func dueMonthNameDates() []dueRecognizer {
	const month = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	const year = `(?:,?\s*(\d{4}))?\b`
	months := []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	return []dueRecognizer{
		{
			re:    regexp.MustCompile(`\b` + month + `\s*(\d{1,2})(?:st|nd|rd|th)?` + year),
			hints: months,
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				return dueYMD(c, m[3], dueMonthEN(m[1]), m[2])
			},
		},
		{
			re:    regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?` + month + year),
			hints: months,
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				return dueYMD(c, m[3], dueMonthEN(m[2]), m[1])
			},
		},
	}
}

func dueMonthEN(name string) string {
	i := slices.Index([]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}, name[:3])
	return strconv.Itoa(i + 1)
}

// dueChineseDates recognises Chinese dates: 5月20日, 5月20号, 2027年5月20日,
// 十一月二十日, 5月底, 下个月20号, 本月25号.
func dueChineseDates() []dueRecognizer {
	const num = `(\d{1,2}|` + dueCN + `)`
	return []dueRecognizer{
		{
			re:    regexp.MustCompile(`(?:(\d{4})\s*年\s*)?` + num + `\s*月\s*(?:` + num + `\s*[日号號]|(底|末))`),
			hints: []string{"月"},
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				if m[4] != "" {
					return dueMonthEnd(c, m[1], m[2])
				}
				return dueYMD(c, m[1], m[2], m[3])
			},
		},
		{
			re:    regexp.MustCompile(`(下|本|这)个?月\s*` + num + `\s*[日号號]`),
			hints: []string{"月"},
			resolve: func(c dueClock, m []string) (time.Time, bool) {
				d, ok := dueNumber(m[2])
				if !ok || d < 1 || d > 31 {
					return time.Time{}, false
				}
				months := 0
				if m[1] == "下" {
					months = 1
				}
				t := c.monthDay(months, d)
				return t, t.Day() == d && !t.Before(c.today)
			},
		},
	}
}

// dueYMD resolves a date whose parts are written as numbers; without a year it is
// the next such date on or after today.
func dueYMD(c dueClock, year, month, day string) (time.Time, bool) {
	m, ok1 := dueNumber(month)
	d, ok2 := dueNumber(day)
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	if year == "" {
		return c.upcoming(time.Month(m), d)
	}
	y, err := strconv.Atoi(year)
	if err != nil {
		return time.Time{}, false
	}
	return c.date(y, time.Month(m), d)
}

// dueMonthEnd resolves 5月底: the last day of that month, next year if it has passed.
func dueMonthEnd(c dueClock, year, month string) (time.Time, bool) {
	m, ok := dueNumber(month)
	if !ok || m < 1 || m > 12 {
		return time.Time{}, false
	}
	y := c.today.Year()
	if year != "" {
		var err error
		if y, err = strconv.Atoi(year); err != nil {
			return time.Time{}, false
		}
	}
	lastDay := func(y int) time.Time {
		return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, c.today.Location())
	}
	t := lastDay(y)
	if year == "" && t.Before(c.today) {
		t = lastDay(y + 1)
	}
	return t, !t.Before(c.today)
}

// dueNumber reads a count written in ASCII digits, English words or Chinese numerals.
func dueNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if s == "a" || s == "an" {
		return 1, true
	}
	if i := slices.Index(dueENWords, s); i >= 0 {
		return i, true
	}
	return dueChineseNumber(s)
}

// dueENWords holds the English numbers dueENNum accepts, at their own index.
var dueENWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// dueChineseNumber reads 一 to 九十九, with 两 for 2.
func dueChineseNumber(s string) (int, bool) {
	rs := []rune(s)
	ten := slices.Index(rs, '十')
	if ten < 0 {
		if len(rs) != 1 {
			return 0, false
		}
		return dueChineseDigit(rs[0])
	}
	tens, ones := 1, 0
	var ok bool
	switch ten {
	case 0:
	case 1:
		if tens, ok = dueChineseDigit(rs[0]); !ok || tens == 0 {
			return 0, false
		}
	default:
		return 0, false
	}
	switch rest := rs[ten+1:]; len(rest) {
	case 0:
	case 1:
		if ones, ok = dueChineseDigit(rest[0]); !ok || ones == 0 {
			return 0, false
		}
	default:
		return 0, false
	}
	return tens*10 + ones, true
}

func dueChineseDigit(r rune) (int, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '两':
		return 2, true
	}
	i := slices.Index([]rune("一二三四五六七八九"), r)
	return i + 1, i >= 0
}

// dueTimeOfDay is a clock time found in the text.
type dueTimeOfDay struct {
	dueSpan
	hour, min int
	bare      bool // no am/pm or 上午/下午 was given, so an evening day phrase makes it p.m.
}

// on returns the moment t names on day.
func (t dueTimeOfDay) on(day time.Time, evening bool) time.Time {
	h := t.hour
	if evening && t.bare && h >= 1 && h < 12 {
		h += 12 // 今晚8点 is 20:00
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, h, t.min, 0, 0, day.Location())
}

// dueTimeRecognizer finds one family of time-of-day phrases.
type dueTimeRecognizer struct {
	re      *regexp.Regexp
	hints   []string // as in dueRecognizer
	resolve func(m []string) (dueTimeOfDay, bool)
}

// dueTimeRecognizers lists the time-of-day families. A time only counts next to a
// date phrase, or alone (meaning today).
var dueTimeRecognizers = []dueTimeRecognizer{
	{ // 3pm, 3:30 p.m., 11 am
		re:    regexp.MustCompile(`\b(\d{1,2})(?::(\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)`),
		hints: []string{"am", "pm", "a.m", "p.m"},
		resolve: func(m []string) (dueTimeOfDay, bool) {
			h, _ := strconv.Atoi(m[1])
			mins := 0
			if m[2] != "" {
				mins, _ = strconv.Atoi(m[2])
			}
			if h < 1 || h > 12 || mins > 59 {
				return dueTimeOfDay{}, false
			}
			h %= 12
			if m[3][0] == 'p' {
				h += 12
			}
			return dueTimeOfDay{hour: h, min: mins}, true
		},
	},
	{ // 15:00, 9:30: a 24-hour clock
		re:    regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`),
		hints: []string{":"},
		resolve: func(m []string) (dueTimeOfDay, bool) {
			h, _ := strconv.Atoi(m[1])
			mins, _ := strconv.Atoi(m[2])
			return dueTimeOfDay{hour: h, min: mins, bare: true}, h <= 23 && mins <= 59
		},
	},
	{ // noon, 中午
		re:    regexp.MustCompile(`\b(?:noon|midday)\b|中午`),
		hints: []string{"noon", "midday", "中午"},
		resolve: func([]string) (dueTimeOfDay, bool) {
			return dueTimeOfDay{hour: 12}, true
		},
	},
	// The spaces belong to the part of the day: a match that could start anywhere
	// in a run of spaces would be searched again from each of them when rejected.
	{ // 下午3点, 上午10点半, 晚上8点, 10点15分, 十点
		re: regexp.MustCompile(`(?:(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)\s*)?(\d{1,2}|` + dueCN + `)\s*[点點时時]` +
			`(?:(半|一刻|三刻)|(\d{2})分?|(\d{1,2}|` + dueCN + `)分)?钟?`),
		hints:   []string{"点", "點", "时", "時"},
		resolve: dueChineseClock,
	},
}

func dueChineseClock(m []string) (dueTimeOfDay, bool) {
	h, ok := dueNumber(m[2])
	if !ok {
		return dueTimeOfDay{}, false
	}
	mins := 0
	switch {
	case m[3] != "":
		mins = map[string]int{"半": 30, "一刻": 15, "三刻": 45}[m[3]]
	case m[4] != "":
		mins, _ = strconv.Atoi(m[4])
	case m[5] != "":
		mins, ok = dueNumber(m[5])
	}
	if !ok || mins > 59 {
		return dueTimeOfDay{}, false
	}
	if m[1] == "" {
		// Without 上午/下午, 3点 could be 03:00 or 15:00; refuse rather than guess.
		// 7 to 23 are read as written (10点 is 10:00, 15点 is 15:00).
		return dueTimeOfDay{hour: h, min: mins, bare: true}, h == 0 || h >= 7 && h <= 23
	}
	h, ok = dueChinesePeriodHour(m[1], h)
	return dueTimeOfDay{hour: h, min: mins}, ok
}

// dueChinesePeriodHour turns an hour said with a part of the day into 24-hour time.
func dueChinesePeriodHour(period string, h int) (int, bool) {
	switch period {
	case "凌晨":
		return h, h <= 6
	case "早上", "早晨", "上午":
		return h, h <= 12
	case "中午":
		if h == 1 || h == 2 {
			return h + 12, true
		}
		return h, h == 11 || h == 12
	default: // 下午, 傍晚, 晚上
		if h >= 1 && h <= 11 {
			return h + 12, true
		}
		return h, h >= 13 && h <= 23
	}
}

// dueScanDays runs every date recognizer over s.
func dueScanDays(s string, c dueClock, w *dueWork) []dueDay {
	var days []dueDay
	for _, r := range dueRecognizers {
		if !dueHinted(s, r.hints, w) {
			continue
		}
		dueEachMatch(s, r.re, r.kind, w, func(sp dueSpan, m []string) {
			day, ok := r.resolve(c, m)
			days = append(days, dueDay{dueSpan: sp, day: day, ok: ok, evening: r.evening})
		})
	}
	return days
}

// dueScanTimes runs every time-of-day recognizer over s. Impossible times (25:00)
// are dropped: they make no date wrong.
func dueScanTimes(s string, w *dueWork) []dueTimeOfDay {
	var times []dueTimeOfDay
	for _, r := range dueTimeRecognizers {
		if !dueHinted(s, r.hints, w) {
			continue
		}
		dueEachMatch(s, r.re, dueKindTime, w, func(sp dueSpan, m []string) {
			if t, ok := r.resolve(m); ok {
				t.dueSpan = sp
				times = append(times, t)
			}
		})
	}
	return times
}

// dueHinted reports whether s contains one of hints, or hints is nil; a recognizer
// whose hints s lacks cannot match it.
func dueHinted(s string, hints []string, w *dueWork) bool {
	if hints == nil {
		return true
	}
	for _, h := range hints {
		w.add(len(s))
		if strings.Contains(s, h) {
			return true
		}
	}
	return false
}

// dueEachMatch calls fn with the span and submatches ("" when unmatched) of every
// match of re in s that stands alone. After a match that does not stand alone, the
// search goes on from its second rune, so 一下周一 (一下 + 周一) still finds 周一.
// Guards look at the whole of s, so searching a suffix loses no context.
//
// Going back into a rejected match stays linear only because no recognizer can
// start a match anywhere inside a run of unbounded length (such as leading
// spaces): the search is retried a bounded number of times per match.
func dueEachMatch(s string, re *regexp.Regexp, kind dueKind, w *dueWork, fn func(dueSpan, []string)) {
	for pos := 0; pos < len(s); {
		loc := re.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			w.add(len(s) - pos)
			return
		}
		w.add(loc[1]) // the engine reads up to the end of the match it reports
		sp := dueSpan{pos + loc[0], pos + loc[1]}
		if sp.start == sp.end || !dueStandsAlone(s, sp, kind) {
			_, n := utf8.DecodeRuneInString(s[sp.start:])
			pos = sp.start + max(n, 1)
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[pos+loc[2*i] : pos+loc[2*i+1]]
			}
		}
		fn(sp, m)
		pos = sp.end
	}
}

var (
	dueNotAfterWord = regexp.MustCompile(`(?:^|[^a-z])(?:last|past|previous|every|each)\s+$`)
	dueNotAfterFor  = regexp.MustCompile(`(?:^|[^a-z])for\s+$`)
	dueAgo          = regexp.MustCompile(`^\s+ago\b`)
)

// dueNotAfterHan are the characters that, right before a Chinese date phrase, make
// it something else: 上周五 (last Friday), 每周一 (every Monday), 一周一次 (once a
// week), 第三天内.
const dueNotAfterHan = "上每第个零〇一二两三四五六七八九十0123456789"

// dueStandsAlone reports whether s[sp] is a phrase of its own, rather than part of
// a longer word or number, a possessive, or a reference to the past.
func dueStandsAlone(s string, sp dueSpan, kind dueKind) bool {
	head, phrase, rest := s[:sp.start], s[sp.start:sp.end], s[sp.end:]
	first, _ := utf8.DecodeRuneInString(phrase)
	last, _ := utf8.DecodeLastRuneInString(phrase)
	before, _ := utf8.DecodeLastRuneInString(head)
	after, _ := utf8.DecodeRuneInString(rest)
	near := head[max(0, len(head)-24):]
	switch {
	case dueIsAlnum(first) && dueIsAlnum(before), dueIsAlnum(last) && dueIsAlnum(after):
		return false // inside a word or number: "monitor", "x3 days"
	case dueIsDigit(first) && dueGluedBefore(head), dueIsDigit(last) && dueGluedAfter(rest):
		return false // part of a bigger number: "1.5/20", "5/20-5/25", "$5/20"
	case dueIsAlnum(last) && (strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s")):
		return false // a possessive names a thing, not a deadline: "today's notes"
	case dueIsAlnum(first) && dueNotAfterWord.MatchString(near):
		return false // "last Friday", "every Monday", "past 3 days"
	case kind == dueKindDuration && (dueNotAfterFor.MatchString(near) || dueAgo.MatchString(rest)):
		return false // "for 3 days", "3 days ago"
	case kind != dueKindTime && unicode.Is(unicode.Han, first) && strings.ContainsRune(dueNotAfterHan, before):
		return false
	case first == '下' && before == '下', strings.HasSuffix(head, "下下"):
		return false // 下下周, the week after next, is not supported
	case last == '日' && strings.ContainsRune("期程志常记历", after):
		return false // 日期 (date), 日程 (schedule): 说明日期 is not 明日
	}
	return true
}

func dueIsDigit(r rune) bool { return r >= '0' && r <= '9' }

func dueIsAlnum(r rune) bool { return dueIsDigit(r) || r >= 'a' && r <= 'z' }

// dueGluedBefore reports whether head ends in a number and a joiner (1.5/20), or a
// currency sign, so that digits following it are part of a bigger number.
func dueGluedBefore(head string) bool {
	r, n := utf8.DecodeLastRuneInString(head)
	if strings.ContainsRune("$¥￥€£#", r) {
		return true
	}
	if !strings.ContainsRune("./-:", r) {
		return false
	}
	d, _ := utf8.DecodeLastRuneInString(head[:len(head)-n])
	return dueIsDigit(d)
}

// dueGluedAfter reports whether rest continues the number before it: "%", or a
// joiner followed by a digit (5/20-5/25). A full stop at the end of a sentence is fine.
func dueGluedAfter(rest string) bool {
	r, n := utf8.DecodeRuneInString(rest)
	if r == '%' {
		return true
	}
	if !strings.ContainsRune("./-:", r) {
		return false
	}
	d, _ := utf8.DecodeRuneInString(rest[n:])
	return dueIsDigit(d)
}

// dueLongestFirst settles overlapping phrases: the longest wins, the earliest on a
// tie, so "next Friday" beats "Friday" and "2026/5/20" beats "5/20". The survivors
// are returned in text order.
//
// Overlaps are looked up in a map of the bytes taken rather than by comparing with
// every phrase kept, which would be quadratic in a text full of dates. Each
// recognizer reports disjoint phrases, so the bytes looked at add up to at most
// len(s) per recognizer.
func dueLongestFirst[T interface{ span() dueSpan }](found []T, w *dueWork) []T {
	slices.SortStableFunc(found, func(a, b T) int {
		sa, sb := a.span(), b.span()
		if la, lb := sa.end-sa.start, sb.end-sb.start; la != lb {
			return lb - la
		}
		return sa.start - sb.start
	})
	w.add(len(found))
	end := 0
	for _, f := range found {
		end = max(end, f.span().end)
	}
	taken := make([]bool, end)
	var kept []T
	for _, f := range found {
		fs := f.span()
		w.add(fs.end - fs.start)
		if !slices.Contains(taken[fs.start:fs.end], true) {
			kept = append(kept, f)
			for i := fs.start; i < fs.end; i++ {
				taken[i] = true
			}
		}
	}
	slices.SortFunc(kept, func(a, b T) int { return a.span().start - b.span().start })
	return kept
}

var dueGlue = regexp.MustCompile(`^[\s,]*$`)

// dueAgreedDay returns the one day the phrases name. Phrases naming different days,
// or a day that cannot be, make the text ambiguous. Phrases for the same day that
// sit side by side ("Friday, 11/20") become one.
func dueAgreedDay(s string, days []dueDay, w *dueWork) (dueDay, bool) {
	merged := days[0]
	joined := true
	for _, d := range days {
		if !d.ok || !d.day.Equal(merged.day) {
			return dueDay{}, false
		}
		if d.start > merged.start && joined {
			w.add(d.start - merged.end)
			if joined = dueGlue.MatchString(s[merged.end:d.start]); joined {
				merged.end, merged.evening = d.end, merged.evening || d.evening
			}
		}
	}
	return merged, true
}

var (
	dueTimeAfterGlue  = regexp.MustCompile(`^[\s,]*(?:(?:at|around|about|by|before|@|的|在)\s*)?$`)
	dueTimeBeforeGlue = regexp.MustCompile(`^[\s,]*(?:on\s*)?$`)
)

// dueAdjacentTime finds the time of day said right after the date ("Friday at
// 3pm", "周五下午3点"), or else right before it ("3pm on Friday").
//
// Only the nearest time on each side can be adjacent: the gap to any farther one
// holds the nearer time, and a time is never glue. Looking no further keeps a text
// full of times linear.
func dueAdjacentTime(s string, day dueSpan, times []dueTimeOfDay, w *dueWork) (dueTimeOfDay, bool) {
	if i := slices.IndexFunc(times, func(t dueTimeOfDay) bool { return t.start >= day.end }); i >= 0 {
		gap := s[day.end:times[i].start]
		w.add(len(gap))
		if dueTimeAfterGlue.MatchString(gap) {
			return times[i], true
		}
	}
	for _, t := range slices.Backward(times) {
		if t.end <= day.start {
			gap := s[t.end:day.start]
			w.add(len(gap))
			if dueTimeBeforeGlue.MatchString(gap) {
				return t, true
			}
			break
		}
	}
	return dueTimeOfDay{}, false
}

var (
	dueLeadEN  = regexp.MustCompile(`(?:^|[^a-z0-9])((?:by|before|on|until|till|at|due(?:\s+(?:on|by|before))?|no\s+later\s+than|not\s+later\s+than)\s+)$`)
	dueLeadCN  = regexp.MustCompile(`(截止到|截止|截至|最迟|最晚|不晚于|在|于)\s*$`)
	dueTrailCN = regexp.MustCompile(`^\s*(?:或之前|之前|以前|前)`)
	dueTrailEN = regexp.MustCompile(`^,?\s*at\s+the\s+latest\b`)
)

// dueWithConnectors widens sp over the words that only introduce the date ("by",
// "before", "在", "前"), since "before X" means due on X, so that removing Phrase
// leaves a clean action.
func dueWithConnectors(s string, sp dueSpan, w *dueWork) dueSpan {
	for range 3 { // 最迟在周五前 has two in front
		head := s[:sp.start]
		w.add(2 * len(head)) // both patterns end in $, so they read all of head
		if m := dueLeadEN.FindStringSubmatchIndex(head); m != nil {
			sp.start = m[2]
			continue
		}
		if m := dueLeadCN.FindStringSubmatchIndex(head); m != nil && dueLeadCNAllowed(head[:m[2]], head[m[2]:m[3]]) {
			sp.start = m[2]
			continue
		}
		break
	}
	w.add(len(s) - sp.end)
	if m := dueTrailCN.FindStringIndex(s[sp.end:]); m != nil {
		if next, _ := utf8.DecodeRuneInString(s[sp.end+m[1]:]); !strings.ContainsRune("往去来进端面途", next) {
			sp.end += m[1] // but not the 前 of 前往 (go to)
		}
	} else if m := dueTrailEN.FindStringIndex(s[sp.end:]); m != nil {
		sp.end += m[1]
	}
	return sp
}

// dueLeadCNAllowed reports whether conn introduces the date. 在 and 于 do so only at
// the start of a clause or after a modal (请在, 需在); in 现在 (now) or 关于 (about)
// they belong to the word before.
func dueLeadCNAllowed(before, conn string) bool {
	if conn != "在" && conn != "于" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return !unicode.Is(unicode.Han, r) || strings.ContainsRune("请需要须必得应该能会将可并再务迟晚止至", r)
}
