package bot

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
)

// Micro-benchmarks of the quick-log path's CPU work in the bot, beside the end-to-end load
// test of cmd/followup-bench (BENCHMARKS.md). They need no server:
//
//	go test -run='^$' -bench=. -benchmem ./bot

var benchNow = time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)

// benchCommandBody is a quick log as Slack posts it.
func benchCommandBody() []byte {
	return []byte(url.Values{
		"token": {"legacy"}, "team_id": {slackfake.TeamID}, "channel_id": {"C0SALES001"},
		"user_id": {"U0REP00001"}, "command": {"/followup"},
		"text":         {"log C202405001: called Wang about the Q3 rollout, they liked the demo next: send the revised quote in 3 days"},
		"api_app_id":   {slackfake.AppID},
		"response_url": {"https://hooks.slack.invalid/commands/T0FAKE0001/1/abc"}, "trigger_id": {"1.2.abc"},
	}.Encode())
}

func BenchmarkVerifySignature(b *testing.B) {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	body := benchCommandBody()
	h := http.Header{}
	slackfake.SignRequest(h, secret, benchNow, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := verifySignature(h, body, secret, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLogFollowUpView(b *testing.B) {
	bot := New(Config{}, nil, nil, nil, WithClock(func() time.Time { return benchNow }))
	t := bot.texter(followup.LocaleEN)
	c := followup.Customer{ID: 42, Code: "C202405001", Name: "Baichuan Trading", Tier: followup.TierA}
	d := logModal{Today: benchNow, Customer: &c, Metadata: origin{Channel: "C0SALES001"}.encode()}
	b.ReportAllocs()
	for b.Loop() {
		v := logFollowUpView(t, d)
		if _, err := json.Marshal(v); err != nil { // Slack gets it as JSON
			b.Fatal(err)
		}
	}
}

func BenchmarkFollowUpSaved(b *testing.B) {
	bot := New(Config{}, nil, nil, nil, WithClock(func() time.Time { return benchNow }))
	p := followup.Person{SlackID: "U0REP00001", Locale: followup.LocaleEN, TZ: "Asia/Shanghai"}
	c := followup.Customer{ID: 42, Code: "C202405001", Name: "Baichuan Trading", Tier: followup.TierA}
	fu := followup.FollowUp{
		ID: 7, CustomerID: 42, RepID: p.SlackID, HappenedAt: benchNow, Method: followup.MethodPhone,
		Summary: "called Wang about the Q3 rollout, they liked the demo", Mood: followup.MoodPositive,
		Actions: []followup.NextAction{{ID: 9, Text: "send the revised quote", DueAt: benchNow.AddDate(0, 0, 3)}},
	}
	b.ReportAllocs()
	for b.Loop() {
		res := bot.followUpSaved(p, c, fu, false)
		if _, err := json.Marshal(res); err != nil { // what the ack carries
			b.Fatal(err)
		}
	}
}
