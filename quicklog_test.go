package followup

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseQuickLog(t *testing.T) {
	now, loc := dueTestNow(t) // Wednesday 2026-11-18 10:00 Asia/Shanghai
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	tests := []struct {
		name, text                        string
		customer, summary, action, phrase string
		due                               time.Time // zero when no due date
		hasTime                           bool
	}{
		{
			name:     "english example",
			text:     "Acme: called Wang, wants a discount next: send the revised quote in 3 days",
			customer: "Acme", summary: "called Wang, wants a discount", action: "send the revised quote",
			phrase: "in 3 days", due: day(2026, 11, 21),
		},
		{
			name:     "chinese example",
			text:     "百川商贸：电话沟通，对价格有疑虑 下一步：3天内发送定制方案",
			customer: "百川商贸", summary: "电话沟通，对价格有疑虑", action: "发送定制方案",
			phrase: "3天内", due: day(2026, 11, 21),
		},
		{
			name:     "full-width semicolon before marker",
			text:     "百川商贸：电话沟通，对价格有疑虑；下一步：本周五前发送报价",
			customer: "百川商贸", summary: "电话沟通，对价格有疑虑", action: "发送报价",
			phrase: "本周五前", due: day(2026, 11, 20),
		},
		{
			name:     "full-width colons in english",
			text:     "Acme：called Wang；next：send deck by Friday",
			customer: "Acme", summary: "called Wang", action: "send deck",
			phrase: "by Friday", due: day(2026, 11, 20),
		},
		{
			name:     "下一步 without colon, with a time",
			text:     "百川商贸:电话沟通。下一步 明天下午3点回电",
			customer: "百川商贸", summary: "电话沟通", action: "回电",
			phrase: "明天下午3点", due: time.Date(2026, 11, 19, 15, 0, 0, 0, loc), hasTime: true,
		},
		{
			name:     "no next step",
			text:     "Acme: called Wang, no answer",
			customer: "Acme", summary: "called Wang, no answer",
		},
		{
			name:     "next step without a date",
			text:     "Acme: demo went well. Next: send case studies",
			customer: "Acme", summary: "demo went well", action: "send case studies",
		},
		{
			name:     "empty next step",
			text:     "Acme: called next:",
			customer: "Acme", summary: "called",
		},
		{
			name:     "customer with spaces",
			text:     "  Acme Corp Ltd : called Wang next: call again tomorrow",
			customer: "Acme Corp Ltd", summary: "called Wang", action: "call again",
			phrase: "tomorrow", due: day(2026, 11, 19),
		},
		{
			name:     "chinese customer",
			text:     "上海百川商贸有限公司：拜访采购 下一步：请在周五前发送方案",
			customer: "上海百川商贸有限公司", summary: "拜访采购", action: "请发送方案",
			phrase: "在周五前", due: day(2026, 11, 20),
		},
		{
			name:     "next inside another word does not split",
			text:     "Acme: demoed the nextgen platform next: follow up next week",
			customer: "Acme", summary: "demoed the nextgen platform", action: "follow up",
			phrase: "next week", due: day(2026, 11, 23),
		},
		{
			name:     "next week in the summary does not split",
			text:     "Acme: they decide next week",
			customer: "Acme", summary: "they decide next week",
		},
		{
			name:     "customer code",
			text:     "C202405001: sent samples next: confirm receipt by Friday",
			customer: "C202405001", summary: "sent samples", action: "confirm receipt",
			phrase: "by Friday", due: day(2026, 11, 20),
		},
		{
			name:     "Next Step with a date",
			text:     "Acme: met the buyer. Next Step: send quote by 5/20",
			customer: "Acme", summary: "met the buyer", action: "send quote",
			phrase: "by 5/20", due: day(2027, 5, 20),
		},
		{
			name:     "next step without colon after punctuation",
			text:     "Acme: met the buyer; next step send quote tomorrow",
			customer: "Acme", summary: "met the buyer", action: "send quote",
			phrase: "tomorrow", due: day(2026, 11, 19),
		},
		{
			name:     "a marker with a colon wins",
			text:     "百川：讨论了下一步计划 下一步：明天回电",
			customer: "百川", summary: "讨论了下一步计划", action: "回电",
			phrase: "明天", due: day(2026, 11, 19),
		},
		{
			name:     "date first",
			text:     "Acme: called next: before Friday, send the quote",
			customer: "Acme", summary: "called", action: "send the quote",
			phrase: "before Friday", due: day(2026, 11, 20),
		},
		{
			name:     "date in the middle with a time",
			text:     "Acme: called next: send quote to Wang by Friday at 3pm, then call",
			customer: "Acme", summary: "called", action: "send quote to Wang, then call",
			phrase: "by Friday at 3pm", due: time.Date(2026, 11, 20, 15, 0, 0, 0, loc), hasTime: true,
		},
		{
			name:     "ambiguous date stays in the action",
			text:     "Acme: called next: call tomorrow or Friday",
			customer: "Acme", summary: "called", action: "call tomorrow or Friday",
		},
		{
			name:     "spaces and punctuation tidied",
			text:     "Acme:  called   Wang ,  next:   send   quote ,  in 3 days ;",
			customer: "Acme", summary: "called   Wang", action: "send quote",
			phrase: "in 3 days", due: day(2026, 11, 21),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuickLog(tc.text, now, loc)
			if err != nil {
				t.Fatalf("ParseQuickLog(%q): %v", tc.text, err)
			}
			if got, want := got.CustomerRef, tc.customer; got != want {
				t.Errorf("CustomerRef = %q, want %q", got, want)
			}
			if got, want := got.Summary, tc.summary; got != want {
				t.Errorf("Summary = %q, want %q", got, want)
			}
			if got, want := got.NextAction, tc.action; got != want {
				t.Errorf("NextAction = %q, want %q", got, want)
			}
			if tc.due.IsZero() {
				if got.Due != nil {
					t.Errorf("Due = %+v, want nil", *got.Due)
				}
				return
			}
			if got.Due == nil {
				t.Fatalf("Due = nil, want %s", tc.due)
			}
			if got, want := got.Due.At, tc.due; !got.Equal(want) {
				t.Errorf("Due.At = %s, want %s", got, want)
			}
			if got, want := got.Due.HasTime, tc.hasTime; got != want {
				t.Errorf("Due.HasTime = %v, want %v", got, want)
			}
			if got, want := got.Due.Phrase, tc.phrase; got != want {
				t.Errorf("Due.Phrase = %q, want %q", got, want)
			}
		})
	}
}

func TestParseQuickLogErrors(t *testing.T) {
	now, loc := dueTestNow(t)
	tests := []struct {
		name, text, field string
	}{
		{"empty", "", QuickLogFieldCustomer},
		{"no colon", "Acme called Wang", QuickLogFieldCustomer},
		{"no customer", ": called Wang", QuickLogFieldCustomer},
		{"blank customer", "　：电话沟通", QuickLogFieldCustomer},
		{"only the next marker", "next: call Wang tomorrow", QuickLogFieldCustomer},
		{"customer then marker, no colon after customer", "Acme next: call Wang", QuickLogFieldCustomer},
		{"only a clock time's colon", "Acme met at 10:30 next: call Wang", QuickLogFieldCustomer},
		{"chinese marker only", "下一步：明天回电", QuickLogFieldCustomer},
		{"no summary", "Acme:", QuickLogFieldSummary},
		{"blank summary before marker", "Acme:  ; next: call tomorrow", QuickLogFieldSummary},
		{"chinese blank summary", "百川商贸： 下一步：明天回电", QuickLogFieldSummary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseQuickLog(tc.text, now, loc)
			var qe *QuickLogError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuickLog(%q) error = %v, want a *QuickLogError", tc.text, err)
			}
			if got, want := qe.Field, tc.field; got != want {
				t.Errorf("Field = %q, want %q", got, want)
			}
			if !strings.Contains(qe.Message, "<customer>: <what happened> next:") {
				t.Errorf("Message = %q, want it to show the expected format", qe.Message)
			}
			if got := qe.Error(); !strings.Contains(got, tc.field) || !strings.Contains(got, qe.Message) {
				t.Errorf("Error() = %q, want the field and the message", got)
			}
			if got, want := ErrorCode(err), EINVALID; got != want {
				t.Errorf("ErrorCode = %q, want %q", got, want)
			}
			if got, want := ErrorMessage(err), qe.Message; got != want {
				t.Errorf("ErrorMessage = %q, want %q", got, want)
			}
		})
	}
}

func TestQuickLogCut(t *testing.T) {
	// ParseDue usually takes the connector into Phrase; these cover the ones it leaves.
	tests := []struct {
		text, phrase, want string
	}{
		{"send the quote before Friday", "Friday", "send the quote"},
		{"send the quote BY Friday to Wang", "Friday", "send the quote to Wang"},
		{"周五 前，发送方案", "周五", "发送方案"},
		{"周五前往客户处", "周五", "前往客户处"}, // 前往 is a word of its own
		{"call Wang tomorrow, then send", "tomorrow", "call Wang, then send"},
		{"call Wang tomorrow and Li", "tomorrow", "call Wang and Li"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			start := strings.Index(tc.text, tc.phrase)
			got := quickLogTidy(quickLogCut(tc.text, start, start+len(tc.phrase)))
			if got != tc.want {
				t.Errorf("cut %q from %q = %q, want %q", tc.phrase, tc.text, got, tc.want)
			}
		})
	}
}

func FuzzParseQuickLog(f *testing.F) {
	for _, s := range []string{
		"Acme: called Wang, wants a discount next: send the revised quote in 3 days",
		"百川商贸：电话沟通，对价格有疑虑 下一步：3天内发送定制方案",
		"C202405001: sent samples next: confirm receipt by Friday",
		"Acme: demoed nextgen. Next step send deck tomorrow",
		"Acme:", ": x", "next: x", "a:下一步", "a:b next:\xff周五前",
	} {
		f.Add(s)
	}
	now, loc := dueTestNow(f)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 256 {
			// A one-line log is short. Long inputs reach no new code; they only
			// make the fuzzer's minimiser crawl, as every regexp scans them whole.
			t.Skip()
		}
		got, err := ParseQuickLog(text, now, loc)
		if err != nil {
			var qe *QuickLogError
			if !errors.As(err, &qe) || qe.Field != QuickLogFieldCustomer && qe.Field != QuickLogFieldSummary {
				t.Fatalf("ParseQuickLog(%q) error = %#v, want a *QuickLogError on customer or summary", text, err)
			}
			return
		}
		for field, v := range map[string]string{"CustomerRef": got.CustomerRef, "Summary": got.Summary} {
			if v == "" || strings.TrimSpace(v) != v {
				t.Errorf("ParseQuickLog(%q).%s = %q, want non-empty and trimmed", text, field, v)
			}
		}
		if got.NextAction != strings.TrimSpace(got.NextAction) {
			t.Errorf("ParseQuickLog(%q).NextAction = %q, not trimmed", text, got.NextAction)
		}
		if got.Due != nil && !strings.Contains(text, got.Due.Phrase) {
			t.Errorf("ParseQuickLog(%q).Due.Phrase = %q, not in the text", text, got.Due.Phrase)
		}
	})
}
