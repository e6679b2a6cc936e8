package followup

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseMessage(t *testing.T) {
	now, loc := dueTestNow(t) // Wednesday 2026-11-18 10:00 Asia/Shanghai
	tests := []struct {
		name, text  string
		hints       []string
		summary     string
		method      Method
		mood        Mood
		action      string
		due, phrase string // due is "2006-01-02" or "2006-01-02 15:04"; "" for no due date
	}{
		// The examples reps write.
		{
			name: "english call", text: "Called Acme, they want a demo; next: send the deck Friday",
			hints: []string{"Acme"}, summary: "Called Acme, they want a demo", method: MethodPhone,
			action: "send the deck", due: "2026-11-20", phrase: "Friday",
		},
		{
			name: "chinese visit", text: "拜访了百川商贸，下一步：下周一报价",
			hints: []string{"百川商贸"}, summary: "拜访了百川商贸", method: MethodVisit,
			action: "报价", due: "2026-11-23", phrase: "下周一",
		},
		{
			name: "english meeting, hesitant", text: "met with Globex today, they were hesitant about price. Next step: send revised quote by 5/20",
			hints: []string{"Globex"}, summary: "met with Globex today, they were hesitant about price", method: MethodVisit,
			mood: MoodHesitant, action: "send revised quote", due: "2027-05-20", phrase: "by 5/20",
		},
		{
			name: "wechat, positive, 下一步 without colon", text: "微信联系了王总，对方很满意，下一步 3天内发合同",
			hints: []string{"王总"}, summary: "微信联系了王总，对方很满意", method: MethodIM, mood: MoodPositive,
			action: "发合同", due: "2026-11-21", phrase: "3天内",
		},
		{
			name: "给 X 打电话", text: "给百川商贸打电话，对方对价格有顾虑",
			hints: []string{"百川商贸"}, summary: "给百川商贸打电话，对方对价格有顾虑", method: MethodPhone, mood: MoodHesitant,
		},
		{
			name: "和 X 沟通", text: "和王总沟通了新报价，他很认可",
			hints: []string{"王总"}, summary: "和王总沟通了新报价，他很认可", mood: MoodPositive,
		},
		{
			name: "company with an abbreviation", text: "visited Acme Trading Co. and showed the new line",
			hints: []string{"Acme Trading Co"}, summary: "visited Acme Trading Co. and showed the new line", method: MethodVisit,
		},
		{
			name: "mixed scripts", text: "昨天跟Acme的Wang开了个会",
			hints: []string{"Acme", "Wang"}, summary: "昨天跟Acme的Wang开了个会", method: MethodVisit,
		},

		// The quick-log form.
		{
			name: "quick-log form", text: "Acme Trading: called Wang, wants a discount next: send the revised quote in 3 days",
			hints: []string{"Acme Trading", "Wang"}, summary: "called Wang, wants a discount", method: MethodPhone,
			action: "send the revised quote", due: "2026-11-21", phrase: "in 3 days",
		},
		{
			name: "quick-log form in chinese", text: "百川商贸：电话沟通，对价格有疑虑 下一步：3天内发送定制方案",
			hints: []string{"百川商贸"}, summary: "电话沟通，对价格有疑虑", method: MethodPhone, mood: MoodHesitant,
			action: "发送定制方案", due: "2026-11-21", phrase: "3天内",
		},
		{
			name: "full-width punctuation", text: "百川商贸：拜访采购部；下一步：本周五前发送报价",
			hints: []string{"百川商贸"}, summary: "拜访采购部", method: MethodVisit,
			action: "发送报价", due: "2026-11-20", phrase: "本周五前",
		},
		{
			name: "full-width letters", text: "Ａｃｍｅ：called Wang；next：send deck by Friday",
			hints: []string{"Ａｃｍｅ", "Wang"}, summary: "called Wang", method: MethodPhone,
			action: "send deck", due: "2026-11-20", phrase: "by Friday",
		},
		{
			name: "only a customer", text: "Acme: ",
			hints: []string{"Acme"},
		},
		{
			name: "a sentence before the colon is no customer", text: "Called Acme: they want a demo",
			hints: []string{"Acme"}, summary: "Called Acme: they want a demo", method: MethodPhone,
		},
		{
			name: "a label before the colon is no customer", text: "Update: called Acme, they want a quote",
			hints: []string{"Acme"}, summary: "Update: called Acme, they want a quote", method: MethodPhone,
		},
		{
			name: "a method before the colon is no customer", text: "Phone call: Acme wants a demo",
			hints: []string{"Acme"}, summary: "Phone call: Acme wants a demo", method: MethodPhone,
		},
		{
			name: "a clock time is no customer colon", text: "Meeting with Initech at 10:30, they were not happy with support",
			hints: []string{"Initech"}, summary: "Meeting with Initech at 10:30, they were not happy with support",
			method: MethodVisit, mood: MoodResistant,
		},

		// Customer codes.
		{
			name: "only a code", text: "C202405001",
			hints: []string{"C202405001"}, summary: "C202405001",
		},
		{
			name: "a code in a sentence", text: "Emailed C202405001 the catalogue",
			hints: []string{"C202405001"}, summary: "Emailed C202405001 the catalogue", method: MethodEmail,
		},
		{
			name: "a code comes first", text: "Acme: reorder for account C202405001",
			hints: []string{"C202405001", "Acme"}, summary: "reorder for account C202405001",
		},
		{
			name: "ten digits are no code", text: "Acme: PO C2024050011 received",
			hints: []string{"Acme", "C2024050011"}, summary: "PO C2024050011 received",
		},

		// Next steps.
		{
			name: "no next step", text: "Called Acme, no answer",
			hints: []string{"Acme"}, summary: "Called Acme, no answer", method: MethodPhone,
		},
		{
			name: "next step without a date", text: "Met Globex. Next: send case studies",
			hints: []string{"Globex"}, summary: "Met Globex", method: MethodVisit, action: "send case studies",
		},
		{
			name: "next step that is only a date", text: "Called Acme next: Friday",
			hints: []string{"Acme"}, summary: "Called Acme", method: MethodPhone,
			action: "Friday", due: "2026-11-20", phrase: "Friday",
		},
		{
			name: "next step with a time", text: "百川商贸：电话沟通。下一步 明天下午3点回电",
			hints: []string{"百川商贸"}, summary: "电话沟通", method: MethodPhone,
			action: "回电", due: "2026-11-19 15:00", phrase: "明天下午3点",
		},
		{
			name: "bare next step after punctuation", text: "Texted Wang Wei of Acme; next step send pricing tomorrow 3pm",
			hints: []string{"Wang Wei", "Acme"}, summary: "Texted Wang Wei of Acme", method: MethodSMS,
			action: "send pricing", due: "2026-11-19 15:00", phrase: "tomorrow 3pm",
		},
		{
			name: "ambiguous date stays in the action", text: "Called Acme next: call tomorrow or Friday",
			hints: []string{"Acme"}, summary: "Called Acme", method: MethodPhone, action: "call tomorrow or Friday",
		},
		{
			name: "only a next step", text: "next: call Acme tomorrow",
			hints: []string{"Acme"}, action: "call Acme", due: "2026-11-19", phrase: "tomorrow",
		},
		{
			name: "method and mood come from the summary only", text: "Acme: sent the quote. Next: zoom call, make them happy",
			hints: []string{"Acme"}, summary: "sent the quote", action: "zoom call, make them happy",
		},

		// Emoji and Slack's formatting.
		{
			name: "emoji", text: "Called Acme 🎉 they're excited! next: send contract tomorrow 👍",
			hints: []string{"Acme"}, summary: "Called Acme 🎉 they're excited!", method: MethodPhone, mood: MoodPositive,
			action: "send contract 👍", due: "2026-11-19", phrase: "tomorrow",
		},
		{
			name: "slack emoji code is no customer colon", text: "Acme :tada: signed the contract",
			hints: []string{"Acme"}, summary: "Acme :tada: signed the contract",
		},
		{
			name: "slack link, mention and escapes", text: "<@U024BE7LH> Called <https://acme.example|Acme &amp; Sons>, they want a demo &gt; 10 seats",
			hints: []string{"Acme & Sons"}, summary: "Called Acme & Sons, they want a demo > 10 seats", method: MethodPhone,
		},
		{
			name: "slack mailto", text: "Emailed <mailto:wang@acme.example|wang@acme.example> the deck next: call Wang on Friday",
			hints: []string{"Wang"}, summary: "Emailed wang@acme.example the deck", method: MethodEmail,
			action: "call Wang", due: "2026-11-20", phrase: "on Friday",
		},
		{
			name: "slack link without a label", text: "Sent <https://acme.example/deck> to Acme",
			hints: []string{"Acme"}, summary: "Sent https://acme.example/deck to Acme",
		},

		// More ways to name the customer.
		{
			name: "video call with", text: "video call with Initech, they are on the fence",
			hints: []string{"Initech"}, summary: "video call with Initech, they are on the fence", method: MethodVideo, mood: MoodHesitant,
		},
		{
			name: "the customer came to us", text: "Acme came to our office to see the demo, very excited",
			hints: []string{"Acme"}, summary: "Acme came to our office to see the demo, very excited", method: MethodInbound, mood: MoodPositive,
		},
		{
			name: "来访", text: "王总来访，对方案很感兴趣，下一步：下周三前发报价单",
			hints: []string{"王总"}, summary: "王总来访，对方案很感兴趣", method: MethodInbound, mood: MoodPositive,
			action: "发报价单", due: "2026-11-25", phrase: "下周三前",
		},
		{
			name: "a role is no name", text: "spoke with the CFO at Initech, no concerns",
			hints: []string{"Initech"}, summary: "spoke with the CFO at Initech, no concerns",
		},
		{
			name: "a pronoun is no name", text: "called them back, they said maybe next month",
			summary: "called them back, they said maybe next month", method: MethodPhone,
		},
		{
			name: "possessive", text: "Called the buyer at Acme's HQ",
			hints: []string{"Acme"}, summary: "Called the buyer at Acme's HQ", method: MethodPhone,
		},
		{
			name: "company with &", text: "Procter & Gamble called back, not interested",
			hints: []string{"Procter & Gamble"}, summary: "Procter & Gamble called back, not interested", method: MethodPhone, mood: MoodResistant,
		},
		{
			name: "negative", text: "Called Globex, not interested right now",
			hints: []string{"Globex"}, summary: "Called Globex, not interested right now", method: MethodPhone, mood: MoodResistant,
		},
		{
			name: "客户 and the full company name", text: "拜访了客户上海百川商贸有限公司的采购经理",
			hints: []string{"上海百川商贸有限公司"}, summary: "拜访了客户上海百川商贸有限公司的采购经理", method: MethodVisit,
		},
		{
			name: "联系了一下", text: "联系了一下王总，他要考虑一下",
			hints: []string{"王总"}, summary: "联系了一下王总，他要考虑一下", mood: MoodHesitant,
		},
		{
			name: "电话联系, resistant", text: "电话联系了百川商贸，对方拒绝了",
			hints: []string{"百川商贸"}, summary: "电话联系了百川商贸，对方拒绝了", method: MethodPhone, mood: MoodResistant,
		},
		{
			name: "a chinese pronoun is no name", text: "和他们沟通了，客户来访",
			summary: "和他们沟通了，客户来访", method: MethodInbound,
		},
		{
			name: "联系方式 is no contact", text: "更新了联系方式",
			summary: "更新了联系方式",
		},
		{
			name: "nothing to go on", text: "lol",
			summary: "lol",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseMessage(tc.text, now, loc)
			if !slices.Equal(got.CustomerHints, tc.hints) {
				t.Errorf("CustomerHints = %q, want %q", got.CustomerHints, tc.hints)
			}
			if got, want := got.Summary, tc.summary; got != want {
				t.Errorf("Summary = %q, want %q", got, want)
			}
			if got, want := got.Method, tc.method; got != want {
				t.Errorf("Method = %q, want %q", got, want)
			}
			if got, want := got.Mood, tc.mood; got != want {
				t.Errorf("Mood = %q, want %q", got, want)
			}
			if got, want := got.NextAction, tc.action; got != want {
				t.Errorf("NextAction = %q, want %q", got, want)
			}
			checkDraftDue(t, got.Due, tc.due, tc.phrase, loc)
		})
	}
}

// checkDraftDue compares due with want ("2006-01-02" or "2006-01-02 15:04", "" for nil).
func checkDraftDue(t *testing.T, due *Due, want, phrase string, loc *time.Location) {
	t.Helper()
	if want == "" {
		if due != nil {
			t.Errorf("Due = %s %q, want nil", due.At, due.Phrase)
		}
		return
	}
	if due == nil {
		t.Fatalf("Due = nil, want %s", want)
	}
	layout, hasTime := "2006-01-02", strings.Contains(want, ":")
	if hasTime {
		layout = "2006-01-02 15:04"
	}
	at, err := time.ParseInLocation(layout, want, loc)
	if err != nil {
		t.Fatal(err)
	}
	if !due.At.Equal(at) || due.HasTime != hasTime {
		t.Errorf("Due = %s (time of day: %v), want %s", due.At, due.HasTime, want)
	}
	if got := due.Phrase; got != phrase {
		t.Errorf("Due.Phrase = %q, want %q", got, phrase)
	}
}

func TestParseMessageEmpty(t *testing.T) {
	now, loc := dueTestNow(t)
	for _, text := range []string{"", "   ", " \n\t\u3000", "<@U024BE7LH>", "<!here> "} {
		t.Run(text, func(t *testing.T) {
			if got := ParseMessage(text, now, loc); !reflect.DeepEqual(got, Draft{}) {
				t.Errorf("ParseMessage(%q) = %+v, want an empty Draft", text, got)
			}
		})
	}
}

func TestSlackUnescape(t *testing.T) {
	tests := []struct{ text, want string }{
		{"<mailto:a@b.c|a@b.c>", "a@b.c"},
		{"<mailto:a@b.c>", "a@b.c"},
		{"see <http://x.example|the deck>", "see the deck"},
		{"see <http://x.example?a=1&amp;b=2>", "see http://x.example?a=1&b=2"},
		{"<@U123> called Acme", " called Acme"},
		{"<@U123|wang> called Acme", " called Acme"},
		{"<!here> called Acme", " called Acme"},
		{"posted in <#C123|sales>", "posted in #sales"},
		{"ping <!subteam^S123|@sales>", "ping @sales"},
		{"A &amp; B &lt;3 &gt; C", "A & B <3 > C"},
		{"&amp;lt; stays", "&lt; stays"}, // the rep typed "&lt;"
		{"unclosed < bracket", "unclosed < bracket"},
		{"<a <http://x|b>", "<a b"},
		{"no formatting", "no formatting"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := slackUnescape(tc.text); got != tc.want {
				t.Errorf("slackUnescape(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		"Called Acme, they want a demo; next: send the deck Friday",
		"拜访了百川商贸，下一步：下周一报价",
		"met with Globex today, they were hesitant about price. Next step: send revised quote by 5/20",
		"微信联系了王总，对方很满意，下一步 3天内发合同",
		"<@U1> Called <http://x|Acme &amp; Sons> :tada: next: Friday",
		"Acme: ", "C202405001", "给百川商贸打电话", "visited Acme Trading Co.", "<a <b|c>", "&amp;lt;",
		"Mr. Wang's", "next:", "拜访了\xff客户", "Procter & &",
	} {
		f.Add(s)
	}
	now, loc := dueTestNow(f)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 256 {
			// A message is short. Long inputs reach no new code; they only make
			// the fuzzer's minimiser crawl.
			t.Skip()
		}
		got := ParseMessage(text, now, loc)
		unescaped := slackUnescape(text)
		for _, h := range got.CustomerHints {
			if h == "" || strings.TrimSpace(h) != h || !strings.Contains(unescaped, h) {
				t.Errorf("ParseMessage(%q) hint %q: want non-empty, trimmed and in %q", text, h, unescaped)
			}
		}
		if got.NextAction == "" && got.Due != nil {
			t.Errorf("ParseMessage(%q).Due = %+v without a NextAction", text, *got.Due)
		}
		for field, v := range map[string]string{"Summary": got.Summary, "NextAction": got.NextAction} {
			if strings.TrimSpace(v) != v {
				t.Errorf("ParseMessage(%q).%s = %q, not trimmed", text, field, v)
			}
		}
		if !got.Method.Valid() && got.Method != "" || !got.Mood.Valid() {
			t.Errorf("ParseMessage(%q) Method = %q, Mood = %q, want known values", text, got.Method, got.Mood)
		}
	})
}
