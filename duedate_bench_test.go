package followup

import (
	"fmt"
	"strings"
	"testing"
)

// The parsers must stay linear in the length of their input: Slack lets a rep paste
// 40,000 characters into a DM, and a quadratic parser would stall the bot on it.
// The benchmarks report ns/B, which stays flat across sizes when the work is linear:
//
//	go test -run='^$' -bench='ParseDue|ParseMessage' -benchtime=20x .

// benchSizes are the input sizes benchmarked, in bytes.
var benchSizes = []int{64, 1 << 10, 16 << 10, 64 << 10}

// benchFiller is a rep's note with the things that look like dates but are not
// ("monitor", "3 samples", "5% off", "today's", "last Friday", "1/2"), so that every
// recognizer has work to do and nothing is found.
const benchFiller = "Called Wang at Acme about the Q3 rollout, monitor pricing came up again; " +
	"they want 3 samples and 5% off, today's notes are in the CRM. 拜访了百川商贸，对方对价格有顾虑，" +
	"想看案例。Mon-Fri support, version 2.1.5 and 1/2 of the budget signed last Friday. "

// benchText returns n bytes of filler ending in tail, cut on a rune boundary.
func benchText(n int, tail string) string {
	body := strings.Repeat(benchFiller, n/len(benchFiller)+1)[:max(0, n-len(tail))]
	return strings.ToValidUTF8(body, "") + tail
}

// benchTails are what ends each benchmarked text.
var benchTails = []struct{ name, tail string }{
	{"nodate", ""},
	{"dateatend", " next: send the deck by Friday"},
}

// benchEach runs parse over every size and tail, reporting ns/B.
func benchEach(b *testing.B, parse func(string)) {
	for _, tail := range benchTails {
		for _, n := range benchSizes {
			text := benchText(n, tail.tail)
			b.Run(fmt.Sprintf("%s/%dB", tail.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					parse(text)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(text)), "ns/B")
			})
		}
	}
}

func BenchmarkParseDue(b *testing.B) {
	now, loc := dueTestNow(b)
	benchEach(b, func(text string) { ParseDue(text, now, loc) })
}

func BenchmarkParseMessage(b *testing.B) {
	now, loc := dueTestNow(b)
	benchEach(b, func(text string) { ParseMessage(text, now, loc) })
}

// TestParseDueIsLinear counts the parser's steps (bytes handed to the regexp engine,
// phrases compared) rather than timing it, so it cannot flake on a busy machine.
// RE2 runs in time linear in what it is handed; this checks that the parser hands
// it a linear amount too, on ordinary text and on texts built to make a careless
// parser rescan: many dates, many rejected near-dates, long runs of spaces.
func TestParseDueIsLinear(t *testing.T) {
	now, loc := dueTestNow(t)
	repeat := func(unit string) func(int) string {
		return func(n int) string { return strings.Repeat(unit, n/len(unit)) }
	}
	inputs := map[string]func(int) string{
		"filler":                  func(n int) string { return benchText(n, "") },
		"filler, date at the end": func(n int) string { return benchText(n, " by Friday") },
		"many days":               repeat("tomorrow "),
		"many times":              repeat("3pm "),
		"days and times":          repeat("tomorrow x 3pm "),
		"times and days":          repeat("3pm x tomorrow "),
		"fractions":               repeat("1/2 "),
		"past weekdays":           repeat("上周一"),
		"chinese times":           repeat("下午3点"),
		"chinese deadlines":       repeat("周五前 "),
		"durations":               repeat("3 days "),
		"lengths":                 repeat("for 3 days "),
		"possessives":             repeat("monday's "),
		"spaces then a rejected time": func(n int) string {
			return strings.Repeat(" ", n) + "3点15.5"
		},
		"spaces between words": func(n int) string {
			return "in" + strings.Repeat(" ", n) + "3 days"
		},
	}
	const small, large = 512, 8 << 10
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			perByte := func(n int) float64 {
				text := input(n)
				var w dueWork
				findDue(text, now, loc, &w)
				if w.steps < len(text) {
					t.Fatalf("%d steps for %d bytes: every byte is read at least once", w.steps, len(text))
				}
				return float64(w.steps) / float64(len(text))
			}
			s, l := perByte(small), perByte(large)
			// Linear work has a steady cost per byte; quadratic work would cost 16
			// times more per byte at 16 times the size.
			if l > 1.5*s {
				t.Errorf("steps per byte: %.1f at %d B, %.1f at %d B; want about the same", s, small, l, large)
			}
		})
	}
}

// BenchmarkParseQuickLog times the parse of a typical one-line log, the text a quick log
// spends its CPU on before the database (the load test's own line, in both languages).
func BenchmarkParseQuickLog(b *testing.B) {
	now, loc := dueTestNow(b)
	for _, tc := range []struct{ name, text string }{
		{"en", "C2026110042: called Wang about the Q3 rollout, they liked the demo next: send the revised quote in 3 days"},
		{"zh", "百川商贸：电话沟通，对价格有疑虑，想看同行业案例 下一步：3天内发送定制方案"},
		{"nodate", "Acme Trading: visited the plant, met the purchasing manager next: send the training material"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseQuickLog(tc.text, now, loc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDetectMethodAndMood times reading how a contact happened and how the customer
// felt from a typical summary, which every quick log does.
func BenchmarkDetectMethodAndMood(b *testing.B) {
	const summary = "called Wang about the Q3 rollout, they liked the demo but worry about the price"
	for b.Loop() {
		DetectMethod(summary)
		DetectMood(summary)
	}
}
