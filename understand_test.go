package followup

import (
	"strings"
	"testing"
)

func TestDetectMethod(t *testing.T) {
	tests := []struct {
		text string
		want Method // "" when no method must be found
	}{
		{"Called Acme, they want a demo", MethodPhone},
		{"phoned Wang about the quote", MethodPhone},
		{"Rang the buyer twice", MethodPhone},
		{"quick call with Globex", MethodPhone},
		{"left a voicemail for Wang", MethodPhone},
		{"打电话给百川商贸", MethodPhone},
		{"致电王总确认需求", MethodPhone},
		{"电话拜访了百川商贸", MethodPhone}, // the earliest cue wins
		{"visited Acme Trading Co.", MethodVisit},
		{"Went to Globex to see the plant", MethodVisit},
		{"拜访了百川商贸", MethodVisit},
		{"上门演示了系统", MethodVisit},
		{"met with Globex today", MethodVisit},
		{"Meeting at their office", MethodVisit},
		{"和王总见面", MethodVisit},
		{"开会讨论了方案", MethodVisit},
		{"met on Zoom, they liked it", MethodVideo},
		{"meeting over Teams", MethodVideo},
		{"腾讯会议开会", MethodVideo},
		{"video call with Acme", MethodVideo},
		{"微信视频聊了一下", MethodVideo},
		{"Emailed Wang the deck", MethodEmail},
		{"sent an e-mail", MethodEmail},
		{"发邮件给王总", MethodEmail},
		{"texted Wang", MethodSMS},
		{"SMS reminder sent", MethodSMS},
		{"发短信提醒", MethodSMS},
		{"WeChat with Wang", MethodIM},
		{"微信联系了王总", MethodIM},
		{"messaged them on WhatsApp", MethodIM},
		{"钉钉上沟通", MethodIM},
		{"IM'd the buyer", MethodIM},
		{"Acme came to our office", MethodInbound},
		{"they visited our office", MethodInbound},
		{"王总来访", MethodInbound},
		{"客户到访公司", MethodInbound},
		// Whole words only: none of these is a cue.
		{"checked the mailbox", ""},
		{"recalled the price list", ""},
		{"im going to send it", ""}, // "IM" must be written so
		{"their teams want a demo", ""},
		{"discussed pricing", ""},
		{"", ""},
		{"ＣＡＬＬＥＤ Ａｃｍｅ", MethodPhone}, // full-width letters
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, ok := DetectMethod(tc.text)
			if got, want := ok, tc.want != ""; got != want {
				t.Fatalf("DetectMethod(%q) ok = %v, want %v", tc.text, got, want)
			}
			if got != tc.want {
				t.Errorf("DetectMethod(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestDetectMood(t *testing.T) {
	tests := []struct {
		text string
		want Mood // "" when no mood must be found
	}{
		{"they are interested in plan A", MoodPositive},
		{"very keen on the demo", MoodPositive},
		{"Happy with the trial", MoodPositive},
		{"对方很满意", MoodPositive},
		{"对方案感兴趣", MoodPositive},
		{"王总认可我们的报价", MoodPositive},
		{"they were hesitant about price", MoodHesitant},
		{"still on the fence", MoodHesitant},
		{"said they're thinking about it", MoodHesitant},
		{"对价格有顾虑", MoodHesitant},
		{"还在观望", MoodHesitant},
		{"想考虑一下", MoodHesitant},
		{"not sure about the budget", MoodHesitant},
		{"they haven't decided", MoodHesitant},
		{"refused the offer", MoodResistant},
		{"got some pushback on the price", MoodResistant},
		{"明确拒绝", MoodResistant},
		{"对推销很反感", MoodResistant},
		{"对服务不满", MoodResistant},
		// Negation.
		{"not interested", MoodResistant},
		{"not happy with the delays", MoodResistant},
		{"wasn't very interested", MoodResistant},
		{"not at all keen", MoodResistant},
		{"不满意", MoodResistant},
		{"不太满意交期", MoodResistant},
		{"不感兴趣", MoodResistant},
		{"no concerns", ""},
		{"not worried about the price", ""},
		{"没有顾虑", ""},
		{"didn't refuse", ""},
		{"no concerns, very happy", MoodPositive},
		{"No, they were happy", MoodPositive}, // the comma ends the negation
		// Mixed: the strongest reservation wins.
		{"interested but worried about price", MoodHesitant},
		{"not sure they're interested", MoodHesitant}, // "not" negates "sure" only
		{"happy with the demo, refused the price", MoodResistant},
		{"很满意，但是有顾虑", MoodHesitant},
		// No cue.
		{"sent the quote", ""},
		{"checked they are sure to attend", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, ok := DetectMood(tc.text)
			if got, want := ok, tc.want != ""; got != want {
				t.Fatalf("DetectMood(%q) ok = %v, want %v", tc.text, got, want)
			}
			if got != tc.want {
				t.Errorf("DetectMood(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestCuePhrasesAreFolded keeps the cue tables in the form cueText.next relies on: a
// phrase it matches in any case is written in lower case.
func TestCuePhrasesAreFolded(t *testing.T) {
	check := func(table, phrase string) {
		if phrase != strings.ToLower(phrase) || phrase != dueFold(phrase).s {
			t.Errorf("%s cue %q is not written folded (lower case, half-width)", table, phrase)
		}
	}
	for _, c := range methodCues {
		if !c.exact {
			check("method", c.phrase)
		}
	}
	for _, c := range moodCues {
		check("mood", c.phrase)
	}
	for _, v := range englishContactVerbs {
		check("verb", v)
	}
}

func TestDetectStage(t *testing.T) {
	won := StageMove{Stage: StageWon}
	lost := func(r LostReason) StageMove { return StageMove{Stage: StageLost, Reason: r} }
	tests := []struct {
		text string
		want StageMove // zero when no stage must be found
	}{
		{"won", won},
		{"Won!", won},
		{"won - PO arrives Monday", won},
		{"成交", won},
		{"签约", won},
		{"今天签约了，很顺利", won},
		{"王总签了合同", won},
		{"signed the contract today", won},
		{"Deal closed, they pay in 30 days", won},
		{"closed won", won},
		{"拿下订单", won},
		{"中标了", won},
		{"客户下单了", won},
		{"ＷＯＮ", won}, // full-width letters
		{"lost", lost(LostOther)},
		{"Lost.", lost(LostOther)},
		{"lost to competitor", lost(LostCompetitor)},
		{"lost to Globex", lost(LostCompetitor)}, // "lost to" names the winner
		{"Lost - price", lost(LostPrice)},
		{"lost the deal, too expensive for them", lost(LostPrice)},
		{"deal lost: no budget this year", lost(LostBudget)},
		{"they went with a competitor", lost(LostCompetitor)},
		{"lost the account over after-sales support", lost(LostService)},
		{"丢单 价格太高", lost(LostPrice)},
		{"丢单，选了竞品", lost(LostCompetitor)},
		{"输给了友商", lost(LostCompetitor)},
		{"没签成，售后服务不满意", lost(LostService)},
		{"项目取消，没有预算", lost(LostBudget)},
		{"客户流失了", lost(LostOther)},
		{"lost the deal, not because of price: they went with a competitor", lost(LostCompetitor)},
		// Negated, planned, feared or something else: no cue.
		{"not won yet", StageMove{}},
		{"未成交", StageMove{}},
		{"还没签约", StageMove{}},
		{"没丢单", StageMove{}},
		{"准备签约", StageMove{}},
		{"争取本月成交", StageMove{}},
		{"下周签约前再确认一次", StageMove{}},
		{"有签约意向", StageMove{}},
		{"谈了成交价", StageMove{}},
		{"防止客户流失", StageMove{}},
		{"有流失风险", StageMove{}},
		{"签约了吗？", StageMove{}},
		{"they will have signed the contract by Friday", StageMove{}},
		{"almost lost the deal", StageMove{}},
		{"won't sign before the budget is approved", StageMove{}},
		{"lost track of time, call again", StageMove{}},
		{"lost interest after the demo", StageMove{}},
		{"won them over on the demo", StageMove{}},
		{"we talked about the last deal they lost", StageMove{}},
		{"discussed pricing", StageMove{}},
		// Both: nothing for sure.
		{"won the bid, then lost the contract to Globex", StageMove{}},
		{"", StageMove{}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, ok := DetectStage(tc.text)
			if ok != (tc.want != StageMove{}) || got != tc.want {
				t.Errorf("DetectStage(%q) = %+v, %v; want %+v", tc.text, got, ok, tc.want)
			}
		})
	}
}

// FuzzDetectStage checks that any text gives a valid move or none, without panicking, in
// time linear enough for the fuzzer.
func FuzzDetectStage(f *testing.F) {
	for _, s := range []string{"won", "lost to competitor", "丢单 价格太高", "签约了吗", "won't", "lost\xff", "未成交", "lost - 预算"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 512 {
			t.Skip()
		}
		m, ok := DetectStage(text)
		switch {
		case !ok && m != StageMove{}:
			t.Errorf("DetectStage(%q) = %+v with ok false", text, m)
		case ok && m.Stage == StageWon && m.Reason != "":
			t.Errorf("DetectStage(%q) = %+v: a won deal has no lost reason", text, m)
		case ok && m.Stage == StageLost && !m.Reason.Valid():
			t.Errorf("DetectStage(%q) = %+v: a lost deal needs a valid reason", text, m)
		case ok && m.Stage != StageWon && m.Stage != StageLost:
			t.Errorf("DetectStage(%q) = %+v: only won and lost are detected", text, m)
		}
	})
}
