package bot_test

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
)

// team makes manager lead a team of members, registering everyone.
func (h *harness) team(manager string, members ...string) {
	h.t.Helper()
	h.register(append([]string{manager}, members...)...)
	var id int64
	if err := h.db.SQLX().Get(&id, `INSERT INTO teams (name, manager_id) VALUES ('East', $1) RETURNING id`, manager); err != nil {
		h.t.Fatal(err)
	}
	for _, m := range append([]string{manager}, members...) {
		if _, err := h.db.SQLX().Exec(`UPDATE people SET team_id = $1, role = CASE WHEN slack_id = $3 THEN 'manager' ELSE role END WHERE slack_id = $2`, id, m, manager); err != nil {
			h.t.Fatal(err)
		}
	}
	h.start(h.redis) // a fresh bot: no cached roles
}

// chartUploads checks that every chart since call number since went up with the three-step
// upload in order, as a real PNG into user's DM, and returns how many did.
func (h *harness) chartUploads(user string, since int) int {
	h.t.Helper()
	dm := h.dmChannel(user)
	var steps []slackfake.Call
	for _, c := range h.slack.Calls()[since:] {
		switch c.Method {
		case "files.getUploadURLExternal", slackfake.MethodUpload, "files.completeUploadExternal":
			if c.Error == "" { // an upload refused at its first step has no other steps
				steps = append(steps, c)
			}
		}
	}
	if len(steps)%3 != 0 {
		h.t.Fatalf("upload calls %d, not whole three-step uploads", len(steps))
	}
	for i := 0; i < len(steps); i += 3 {
		get, put, done := steps[i], steps[i+1], steps[i+2]
		if get.Method != "files.getUploadURLExternal" || put.Method != slackfake.MethodUpload || done.Method != "files.completeUploadExternal" {
			h.t.Fatalf("upload %d went %s, %s, %s", i/3, get.Method, put.Method, done.Method)
		}
		if !strings.HasSuffix(get.Arg("filename"), ".png") || put.Status != http.StatusOK || done.Error != "" || done.Arg("channel_id") != dm {
			h.t.Errorf("upload %d: %s to %s (status %d, error %q), want a png into %s", i/3, get.Arg("filename"), done.Arg("channel_id"), put.Status, done.Error, dm)
		}
	}
	for _, f := range h.slack.Files() {
		if !strings.HasSuffix(f.Name, ".png") {
			continue
		}
		if !bytes.HasPrefix(f.Content, []byte("\x89PNG\r\n\x1a\n")) {
			h.t.Errorf("%s does not start with the PNG signature", f.Name)
		}
		img, err := png.Decode(bytes.NewReader(f.Content))
		if err != nil {
			h.t.Errorf("%s: %v", f.Name, err)
		} else if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 200 {
			h.t.Errorf("%s is %dx%d", f.Name, b.Dx(), b.Dy())
		}
		if f.Length != len(f.Content) || !f.Completed {
			h.t.Errorf("%s: %d bytes announced, %d sent, completed %v", f.Name, f.Length, len(f.Content), f.Completed)
		}
	}
	return len(steps) / 3
}

func TestQuickLogMovesTheStage(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(repZH, "百川商贸", "13900001111")

	_, res := h.command(repZH, "log 百川：丢单 价格太高")
	if !strings.Contains(res.Text, "销售阶段已更新为 *流失*（原因：价格）") {
		t.Errorf("answer = %q", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE name = '百川商贸' AND stage = 'lost' AND lost_reason = 'price'`); got != 1 {
		t.Error("the customer is not lost for price")
	}
	if got := h.count(`SELECT count(*) FROM stage_changes WHERE to_stage = 'lost' AND lost_reason = 'price' AND changed_by = $1`, repZH); got != 1 {
		t.Error("the move is not recorded with its reason")
	}

	_, res = h.command(rep, "log Acme: signed the contract today next: send the invoice tomorrow")
	if !strings.Contains(res.Text, "Stage is now *Won*") || !strings.Contains(res.Text, "send the invoice") {
		t.Errorf("answer = %q", res.Text)
	}
	_, res = h.command(rep, "log Acme: not won yet, they want another call")
	if strings.Contains(res.Text, "Stage is now") {
		t.Errorf("a negated cue moved the stage: %q", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE name = 'Acme Trading Co' AND stage = 'won'`); got != 1 {
		t.Error("Acme is not won")
	}
}

func TestStageButtonOnTheCard(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme <!channel> Co", "13800005678")
	_, card := h.command(rep, "show Acme")
	if !strings.Contains(card.Raw, `"action_id":"stage_open"`) {
		t.Fatalf("the card has no stage button: %s", card.Raw)
	}
	id := h.customerID("Acme <!channel> Co")
	url := h.slack.ResponseURL()
	h.press(rep, "stage_open", id, url)
	if _, ok := h.slack.LastView("stage_change"); !ok {
		t.Fatal("no stage form opened")
	}

	status, res := h.submit(rep, "stage_change", map[string]any{"stage": pick("lost")})
	if status != http.StatusOK || res["response_action"] != "errors" || !strings.Contains(mustJSON(t, res), "lost_reason") {
		t.Fatalf("lost without a reason = %d %v, want an error beside lost_reason", status, res)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE stage = 'lost'`); got != 0 {
		t.Fatal("a refused form moved the customer")
	}
	if status, res := h.submit(rep, "stage_change", map[string]any{"stage": pick("lost"), "lost_reason": pick("competitor")}); status != http.StatusOK || res != nil {
		t.Fatalf("submission = %d %v", status, res)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE stage = 'lost' AND lost_reason = 'competitor'`); got != 1 {
		t.Error("the customer is not lost to a competitor")
	}
	if got := h.count(`SELECT count(*) FROM audit_log WHERE action = 'stage' AND actor_id = $1`, rep); got != 1 {
		t.Error("the move is not audited")
	}
	responses := h.slack.Responses(url)
	if len(responses) != 1 || !responses[0].ReplaceOriginal || !strings.Contains(responses[0].Text, "Stage is now *Lost* (reason: Competitor)") {
		t.Fatalf("responses = %+v, want the card replaced with the move said", responses)
	}
	if raw := mustJSON(t, responses[0].Blocks); strings.Contains(raw, "<!channel>") || !strings.Contains(raw, "Lost (Competitor)") {
		t.Errorf("the refreshed card = %s", raw)
	}
}

func TestFunnelCommand(t *testing.T) {
	h := newHarness(t)
	h.team(boss, rep, rep2)
	h.register(admin, repZH)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Globex", "13800005679")
	h.newCustomer(rep2, "Initech", "13800005670")
	h.command(rep, "log Acme: signed the contract")
	h.command(rep, "log Globex: lost - too expensive")
	h.command(rep2, "log Initech: lost to competitor")

	t.Run("a rep sees their own customers", func(t *testing.T) {
		since := len(h.slack.Calls())
		status, res := h.command(rep, "funnel")
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{"Sales funnel", "Your customers", "Customers per stage now", "Lead → Intent: 50% (1 of 2)",
			"Intent → Quoted: 100% (1 of 1)", "Quoted → Won: 100% (1 of 1)", "Tier A: 50% (1 of 2) · won 1, lost 1", "0.0 days on average (1 customers won)", "1. Price: 1"} {
			if !strings.Contains(res.Raw, want) {
				t.Errorf("answer lacks %q:\n%s", want, res.Raw)
			}
		}
		if strings.Contains(res.Raw, "Competitor") {
			t.Errorf("a rep sees another rep's lost deal: %s", res.Raw)
		}
		if n := h.chartUploads(rep, since); n != 1 {
			t.Errorf("%d charts uploaded, want 1", n)
		}
		msgs := h.slack.Messages(rep)
		if last := msgs[len(msgs)-1]; len(last.Files) != 1 || !strings.Contains(last.Text, "funnel chart") {
			t.Errorf("the chart's message = %+v", last)
		}
	})
	t.Run("a manager sees the team, and one rep of it", func(t *testing.T) {
		_, res := h.command(boss, "funnel")
		if !strings.Contains(res.Raw, "Your team's customers") || !strings.Contains(res.Raw, "1. Price: 1") || !strings.Contains(res.Raw, "2. Competitor: 1") {
			t.Errorf("team funnel = %s", res.Raw)
		}
		_, res = h.command(boss, "funnel <@"+rep2+"|li> quarter")
		if !strings.Contains(res.Raw, "<@"+rep2+">'s customers") || !strings.Contains(res.Raw, "1. Competitor: 1") || strings.Contains(res.Raw, "Price") {
			t.Errorf("one rep's funnel = %s", res.Raw)
		}
	})
	t.Run("a rep may not look at a colleague or the team", func(t *testing.T) {
		if _, res := h.command(rep, "funnel "+rep2); !strings.Contains(res.Text, "You can see your own funnel") {
			t.Errorf("answer = %q", res.Text)
		}
		if _, res := h.command(rep, "funnel team"); !strings.Contains(res.Text, "Team funnels are for managers") {
			t.Errorf("answer = %q", res.Text)
		}
	})
	t.Run("an admin sees everyone, over a range of days", func(t *testing.T) {
		_, res := h.command(admin, "funnel 2026-11-01..2026-11-18")
		if !strings.Contains(res.Raw, "All customers") || !strings.Contains(res.Raw, "Sun 1 Nov – Wed 18 Nov") || !strings.Contains(res.Raw, "Lead → Intent: 33% (1 of 3)") {
			t.Errorf("admin funnel = %s", res.Raw)
		}
	})
	t.Run("in Chinese, with a bad period", func(t *testing.T) {
		_, res := h.command(repZH, "funnel 上个世纪")
		if !strings.Contains(res.Text, "无法识别时间段“上个世纪”") {
			t.Errorf("answer = %q", res.Text)
		}
		_, res = h.command(repZH, "funnel")
		if !strings.Contains(res.Raw, "销售漏斗") || !strings.Contains(res.Raw, "本期没有成交客户") {
			t.Errorf("answer = %s", res.Raw)
		}
	})
	t.Run("a failed upload leaves the answer whole and is logged", func(t *testing.T) {
		h.slack.FailNextError("files.getUploadURLExternal", 1, "internal_error")
		since := len(h.slack.Calls())
		_, res := h.command(rep, "funnel")
		if !strings.Contains(res.Raw, "Quoted → Won: 100% (1 of 1)") {
			t.Errorf("answer = %s", res.Raw)
		}
		if n := h.chartUploads(rep, since); n != 0 {
			t.Errorf("%d uploads completed", n)
		}
		if !strings.Contains(h.logs.String(), "funnel chart") || !strings.Contains(h.logs.String(), "internal_error") {
			t.Errorf("the failure is not logged:\n%s", h.logs.String())
		}
	})
}

func TestDigestWeekAddsTheReviewAndAChart(t *testing.T) {
	h := newHarness(t)
	h.team(boss, rep, rep2)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Globex", "13800005679")
	h.command(rep, "log Acme: asked for a free trial and a discount")
	h.command(rep, "log Globex: lost to competitor, they asked for a free trial too")
	h.clock.Advance(time.Hour)

	since := len(h.slack.Calls())
	_, res := h.command(boss, "digest week")
	for _, want := range []string{"Weekly review", "Won of closed, by tier", "Tier A: 0% (0 of 1) · won 0, lost 1", "1. Competitor: 1",
		"Frequent customer requests", "free trial (2)", "Complaints", "0 received this week", "Logged nothing all week (1)"} {
		if !strings.Contains(res.Raw, want) {
			t.Errorf("weekly digest lacks %q:\n%s", want, res.Raw)
		}
	}
	if n := h.chartUploads(boss, since); n != 1 {
		t.Errorf("%d activity charts, want 1", n)
	}
	_, res = h.command(boss, "digest")
	if strings.Contains(res.Raw, "Weekly review") || !strings.Contains(res.Raw, "No activity (1)") {
		t.Errorf("the plain digest = %s", res.Raw)
	}
	if _, res := h.command(boss, "digest yearly"); !strings.Contains(res.Text, "/followup digest week") {
		t.Errorf("answer = %q", res.Text)
	}
}

func TestHandOverCommand(t *testing.T) {
	h := newHarness(t)
	h.team(boss, rep, rep2)
	h.register(admin)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Globex", "13800005679")
	h.command(rep, "log Acme: called Wang next: send the quote tomorrow")
	h.command(rep, "log Globex: visited next: call again Friday")
	dmsBefore := map[string]int{rep: len(h.slack.Messages(rep)), rep2: len(h.slack.Messages(rep2)), boss: len(h.slack.Messages(boss))}

	t.Run("a rep is refused politely", func(t *testing.T) {
		_, res := h.command(rep, "handover <@"+rep+"|wang> <@"+rep2+"|li>")
		if !strings.Contains(res.Text, "Hand-overs are for admins") {
			t.Errorf("answer = %q", res.Text)
		}
		if got := h.count(`SELECT count(*) FROM customers WHERE owner_id = $1`, rep); got != 2 {
			t.Errorf("%d customers left with the rep, want 2", got)
		}
	})
	t.Run("an unknown new owner moves nothing", func(t *testing.T) {
		_, res := h.command(admin, "handover "+rep+" U0NOBODY01")
		if !strings.Contains(res.Text, "I don't know who “U0NOBODY01” is") {
			t.Errorf("answer = %q", res.Text)
		}
		if got := h.count(`SELECT count(*) FROM customers WHERE owner_id = $1`, rep); got != 2 {
			t.Errorf("%d customers left with the rep, want 2", got)
		}
	})

	_, res := h.command(boss, "handover <@"+rep+"|wang> to <@"+rep2+"|li>")
	if !strings.Contains(res.Text, "Handed over <@"+rep+">'s 2 customers and 2 open next steps to <@"+rep2+">") {
		t.Fatalf("answer = %q", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE owner_id = $1`, rep2); got != 2 {
		t.Errorf("%d customers with the new owner, want 2", got)
	}
	if got := h.count(`SELECT count(*) FROM next_actions WHERE owner_id = $1 AND status = 'open'`, rep2); got != 2 {
		t.Errorf("%d open steps with the new owner, want 2", got)
	}
	if got := h.count(`SELECT count(*) FROM audit_log WHERE action = 'handover' AND actor_id = $1 AND entity_id = $2 AND detail->>'to' = $3`, boss, rep, rep2); got != 1 {
		t.Error("the hand-over is not audited")
	}
	for _, who := range []string{rep, rep2, boss} {
		msgs := h.slack.Messages(who)[dmsBefore[who]:]
		n := 0
		for _, m := range msgs {
			if strings.Contains(m.Text, "handed over <@"+rep+">'s customers to <@"+rep2+">: 2 customers and 2 open next steps moved") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got %d hand-over DMs, want 1: %+v", who, n, msgs)
		}
	}
}
