package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
)

func newDigestBot(t *testing.T) *Bot {
	t.Helper()
	now := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	return New(Config{}, nil, nil, nil, WithClock(func() time.Time { return now }))
}

// bigDigest has 60 reps, some of them idle, some with names meant to ping everyone, and
// long lists of churn-risk customers and complaints.
func bigDigest() followup.Digest {
	d := followup.Digest{
		From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		To:   time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC),
	}
	for i := range 60 {
		r := followup.RepActivity{RepID: fmt.Sprintf("U%08d", i), Name: fmt.Sprintf("Rep %02d", i),
			FollowUps: i % 7, ActionsDue: i % 5, ActionsDone: i % 3, ActionsOverdue: i % 4, PastCadence: i % 6,
			NewCustomers: i % 2, StageMoves: i % 3, Won: i % 2, Lost: (i + 1) % 2, Surveys: i % 4, SurveyPoints: (i % 4) * 13}
		switch i {
		case 3:
			r.Name = "<!channel>"
		case 4:
			r.Name = "<!here> & <@U0BOSS0001>"
		case 5:
			r.Name = strings.Repeat("&<>", 100) // escaping makes it five times longer
		case 6:
			r.Name = "王伟"
		case 45: // idle, and too far down the list to get a line of its own
			r = followup.RepActivity{RepID: "U0IDLE0001", Name: "Idle <!channel> Ivan"}
		}
		d.Reps = append(d.Reps, r)
		d.Total.Add(r)
	}
	last := d.To.Add(-50 * time.Hour)
	for i := range followup.DigestChurnRiskShown {
		d.ChurnRisk = append(d.ChurnRisk, followup.Customer{ID: int64(i + 1), Code: fmt.Sprintf("C2026030%02d", i),
			Name: "<!everyone> Trading " + strings.Repeat("x", 300), Tier: followup.TierA, OwnerID: "U00000001", LastTouchAt: &last})
	}
	d.ChurnRiskCount = 25
	for i := range followup.DigestComplaintsShown {
		d.OldestComplaints = append(d.OldestComplaints, followup.Complaint{ID: int64(i + 1), CustomerID: 1,
			CustomerName: "<!channel> Co", ReceivedAt: d.From.Add(-time.Duration(i) * 24 * time.Hour),
			Content: "<!channel> the delivery\nwas late " + strings.Repeat("&", 500), HandlerID: "U0MGR00001",
			Status: followup.ComplaintInProgress})
	}
	d.OldestComplaints[0].HandlerID = ""
	d.OpenComplaints = 12
	d.ComplaintsReceived, d.ComplaintsResolved, d.ComplaintsSatisfied, d.ComplaintsOverdue = 1234, 1111, 999, 88
	d.Surveys = followup.SurveyTotals{Count: 90, Scores: followup.SurveyScores{ProductQuality: 301, ServiceAttitude: 377, ResponseSpeed: 250, AfterSales: 399}}
	d.PreviousSurveys = followup.SurveyTotals{Count: 80, Scores: followup.SurveyScores{ProductQuality: 300, ServiceAttitude: 300, ResponseSpeed: 300, AfterSales: 300}}
	return d
}

func TestDigestBlocks(t *testing.T) {
	b := newDigestBot(t)
	for _, tc := range []struct {
		locale string
		want   []string // labels the manager must read in their language
	}{
		{followup.LocaleEN, []string{"Team digest", "Team totals", "Conversion", "No activity", "Churn risk (25)", "Open complaints (12)", "in progress", "…and 40 more reps",
			"1234 received · 1111 resolved (999 with the customer satisfied) · 88 open past their deadline", "satisfaction 3.2 (surveys: 3)",
			"Team average *3.7* (surveys: 90); the period before, 3.8 (surveys: 80): :arrow_down: -0.1", "product quality 3.3 · service attitude 4.2 · response speed 2.8 · after-sales 4.4"}},
		{followup.LocaleZH, []string{"团队跟进摘要", "团队合计", "转化率", "本期无动作", "流失风险客户（25）", "未解决投诉（12）", "处理中", "跟进", "另有 40 人",
			"本期：收到 1234 · 解决 1111（客户满意 999）", "满意度 3.2 分（3 份）", "团队平均 *3.7* 分（90 份调查）", "售后服务 4.4 分"}},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			p := followup.Person{SlackID: "U0MGR00001", Locale: tc.locale, TZ: "Asia/Shanghai"}
			blocks := b.digestBlocks(p, bigDigest())
			raw := validMessage(t, blocks)
			all := strings.Join(texts(t, raw), "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("digest lacks %q", w)
				}
			}
			if tc.locale == followup.LocaleZH && (strings.Contains(all, "follow-ups") || strings.Contains(all, "overdue")) {
				t.Errorf("the Chinese digest has English figures:\n%s", all)
			}
			if !strings.Contains(all, "Idle &lt;!channel&gt; Ivan") {
				t.Errorf("the idle rep is missing:\n%s", all)
			}
			if !strings.Contains(all, "&lt;!channel&gt;") {
				t.Errorf("the rep named <!channel> is missing (escaped):\n%s", all)
			}
		})
	}
}

// Names made only of characters that escaping lengthens are the worst case for Slack's
// limits; the message must still be accepted.
func TestDigestBlocksWorstCase(t *testing.T) {
	b := newDigestBot(t)
	d := bigDigest()
	long := strings.Repeat("&<>王", 200)
	for i := range d.Reps {
		d.Reps[i].Name = long
	}
	for i := range d.ChurnRisk {
		d.ChurnRisk[i].Name, d.ChurnRisk[i].Code = long, long
	}
	for i := range d.OldestComplaints {
		d.OldestComplaints[i].CustomerName, d.OldestComplaints[i].Content = long, long
	}
	for _, locale := range []string{followup.LocaleEN, followup.LocaleZH} {
		p := followup.Person{SlackID: "U0MGR00001", Locale: locale}
		texts(t, validMessage(t, b.digestBlocks(p, d)))
	}
}

func TestDigestBlocksSmallTeam(t *testing.T) {
	b := newDigestBot(t)
	d := followup.Digest{
		From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC),
		Reps: []followup.RepActivity{
			{RepID: "U1", Name: "Alice", FollowUps: 4, Won: 3, StageMoves: 4},
			{RepID: "U2", Name: "Bob", ActionsOverdue: 2, Lost: 1, StageMoves: 1},
			{RepID: "U3", Name: "Cara"},
		},
	}
	for _, r := range d.Reps {
		d.Total.Add(r)
	}
	p := followup.Person{SlackID: "U0MGR00001", Locale: followup.LocaleEN, TZ: "UTC"}
	all := strings.Join(texts(t, validMessage(t, b.digestBlocks(p, d))), "\n")
	if strings.Contains(all, "satisfaction") || !strings.Contains(all, "No survey answered in this period or the one before.") {
		t.Errorf("a digest without surveys shows averages:\n%s", all)
	}
	for _, want := range []string{
		"Mon 2 Mar – Sun 8 Mar", // [From, To) shown with its last day
		"*By rep*",
		"• *Alice*: follow-ups 4 ·",
		":zzz: *Cara*: follow-ups 0 ·",
		"75%", // 3 won of 4 closed
		"*:warning: Churn risk (0)*\nnone",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("digest lacks %q:\n%s", want, all)
		}
	}
	if a, c := strings.Index(all, "*Alice*"), strings.Index(all, "*Cara*:"); a < 0 || c < a {
		t.Errorf("reps are not in the storage's order:\n%s", all)
	}

	d.Reps, d.Total = nil, followup.RepActivity{}
	all = strings.Join(texts(t, validMessage(t, b.digestBlocks(p, d))), "\n")
	if !strings.Contains(all, "no deal closed") || !strings.Contains(all, "Nobody is in your teams yet") {
		t.Errorf("an empty digest does not say so:\n%s", all)
	}
}

// validMessage marshals blocks as a message would carry them and fails the test unless
// Slack would accept them.
func validMessage(t *testing.T, blocks []slack.Block) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if err := slackfake.ValidateBlocks(raw, slackfake.SurfaceMessage); err != nil {
		t.Fatalf("Slack would refuse the digest: %v", err)
	}
	if len(blocks) > 50 {
		t.Fatalf("%d blocks, more than a message may hold", len(blocks))
	}
	return raw
}

// texts returns every text object's text and checks that none could mention anyone but
// the owners the digest names on purpose (<@U…>).
func texts(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				out = append(out, s)
				if x["type"] == "mrkdwn" {
					for _, bad := range []string{"<!", "<@U0BOSS", "<#"} {
						if strings.Contains(s, bad) {
							t.Errorf("mrkdwn text carries an unescaped %q: %s", bad, s)
						}
					}
				}
			}
			for _, val := range x {
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(v)
	return out
}

// The activity chart names reps the chart font can draw by name, others by their Slack
// handle, and the rest by a key the message explains; CHART_OUT keeps the PNG for a person
// to look at.
func TestDigestChart(t *testing.T) {
	d := followup.Digest{
		From: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC),
		Reps: []followup.RepActivity{
			{RepID: "U1", Name: "Wang Wei", FollowUps: 12, ActionsDone: 4, StageMoves: 2},
			{RepID: "U2", Name: "赵敏", FollowUps: 7, ActionsDone: 3, StageMoves: 1},
			{RepID: "U3", Name: "钱多多", FollowUps: 3},
			{RepID: "U4", Name: "Zoë <!channel>", FollowUps: 5, ActionsDone: 1},
			{RepID: "U5", Name: "Idle Ivan"},
		},
	}
	png, legend, err := digestChart(d, map[string]string{"U2": "zhao"}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CHART_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "digest-activity.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pngDecode(png); err != nil {
		t.Fatal(err)
	}
	if want := []string{"#1 钱多多"}; !slices.Equal(legend, want) {
		t.Errorf("legend = %v, want %v (赵敏 is drawn as her handle)", legend, want)
	}
}

func pngDecode(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
