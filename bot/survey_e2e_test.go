package bot_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// answered is one survey as the test submitted it, for working the digest out by hand.
type answered struct {
	owner  string // the customer's owner
	at     time.Time
	scores [4]int // product quality, service attitude, response speed, after-sales
}

// survey records a survey of customer through /followup survey and the form, as user, and
// returns it as the test knows it.
func (h *harness) survey(user, customer, owner, day string, scores [4]int, comment string) answered {
	h.t.Helper()
	if status, res := h.command(user, "survey "+customer); status != http.StatusOK || res.Text != "" {
		h.t.Fatalf("/followup survey %s = %d %q", customer, status, res.Raw)
	}
	values := map[string]any{
		"customer": external(h.customerID(customer)), "surveyed_on": date(day),
		"product_quality": pick(fmt.Sprint(scores[0])), "service_attitude": pick(fmt.Sprint(scores[1])),
		"response_speed": pick(fmt.Sprint(scores[2])), "after_sales": pick(fmt.Sprint(scores[3])),
	}
	if comment != "" {
		values["comment"] = text(comment)
	}
	if status, res := h.submit(user, "new_survey", values); status != http.StatusOK || res != nil {
		h.t.Fatalf("survey submission = %d %v", status, res)
	}
	var at time.Time
	if err := h.db.SQLX().Get(&at, `SELECT surveyed_at FROM surveys ORDER BY id DESC LIMIT 1`); err != nil {
		h.t.Fatal(err)
	}
	return answered{owner: owner, at: at, scores: scores}
}

func TestLowSatisfactionScoreOpensTheOwnersCallBack(t *testing.T) {
	h := newHarness(t)
	h.setTeam(boss, rep, rep2)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep2, "Globex", "13900001111")

	h.command(boss, "survey acme")
	form, _ := h.slack.LastView("new_survey")
	for _, want := range []string{`"initial_option":{"text":{"emoji":false,"text":"Acme Trading Co (C`, `"initial_date":"2026-11-18"`,
		`"block_id":"product_quality"`, `"block_id":"service_attitude"`, `"block_id":"response_speed"`, `"block_id":"after_sales"`, "5 · Very satisfied", "1 · Very dissatisfied"} {
		if !strings.Contains(string(form.Blocks), want) {
			t.Errorf("survey form lacks %s", want)
		}
	}
	var surveys []answered

	// Wednesday: a 2 for product quality is a low score; the owner calls back Thursday.
	surveys = append(surveys, h.survey(boss, "Acme Trading Co", rep, "2026-11-18", [4]int{2, 4, 3, 5}, "Quality dropped <!channel>"))
	want := "Call back about the low satisfaction score: product quality 2 (average 3.5); they said “Quality dropped <!channel>”"
	if got := h.count(`SELECT count(*) FROM next_actions WHERE owner_id = $1 AND text = $2 AND due_at = '2026-11-19 09:00+08'
		AND status = 'open' AND customer_id = $3`, rep, want, h.customerID("Acme Trading Co")); got != 1 {
		var texts []string
		h.db.SQLX().Select(&texts, `SELECT text || ' @ ' || due_at::text FROM next_actions`)
		t.Fatalf("the owner's call back is not %q due Thursday 09:00: %v", want, texts)
	}
	told := h.lastDM(rep, "low satisfaction score")
	for _, w := range []string{"<@" + boss + ">", "*Acme Trading Co*", "product quality 2, service attitude 4, response speed 3, after-sales 5", "average 3.5", "Thu 19 Nov", "&lt;!channel&gt;"} {
		if !strings.Contains(seen(told), w) {
			t.Errorf("the owner's DM lacks %q: %s", w, seen(told))
		}
	}
	if strings.Contains(seen(told), "<!channel>") {
		t.Errorf("the owner's DM carries an unescaped mention")
	}
	all := h.slack.AllResponses()
	if last := all[len(all)-1].Text; !strings.Contains(last, "Saved the satisfaction survey of *Acme Trading Co*") || !strings.Contains(last, "<@"+rep+"> has a next step") {
		t.Errorf("confirmation = %q", last)
	}

	// A good survey opens nothing and tells nobody.
	before := len(h.slack.Messages(rep2))
	surveys = append(surveys, h.survey(boss, "Globex", rep2, "2026-11-18", [4]int{4, 5, 4, 3}, ""))
	if got := h.count(`SELECT count(*) FROM next_actions WHERE owner_id = $1`, rep2); got != 0 {
		t.Errorf("a good survey opened %d next steps", got)
	}
	if got := len(h.slack.Messages(rep2)); got != before {
		t.Errorf("the owner was told of a good survey")
	}

	// Friday: an average below 3 (1, 3, 3, 3), recorded by the owner; the next working day is Monday.
	h.clock.Set(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	surveys = append(surveys, h.survey(rep, "Acme Trading Co", rep, "2026-11-20", [4]int{1, 3, 3, 3}, ""))
	if got := h.count(`SELECT count(*) FROM next_actions WHERE owner_id = $1 AND due_at = '2026-11-23 09:00+08'
		AND text = 'Call back about the low satisfaction score: product quality 1 (average 2.5)'`, rep); got != 1 {
		t.Errorf("Friday's call back is not due Monday 09:00")
	}
	if got := h.mentions(rep, "recorded a low satisfaction score"); got != 1 {
		t.Errorf("the owner was DMed about their own survey (%d DMs)", got)
	}

	// Last week's surveys, for the comparison.
	previous := []answered{
		h.survey(boss, "Acme Trading Co", rep, "2026-11-10", [4]int{3, 3, 4, 4}, ""),
		h.survey(boss, "Globex", rep2, "2026-11-10", [4]int{5, 5, 5, 4}, ""),
	}

	// The digest's averages, worked out here from what was submitted.
	h.clock.Advance(time.Minute)
	to := h.clock.Now()
	from := to.Add(-7 * 24 * time.Hour)
	average := func(list []answered, keep func(answered) bool) (float64, int) {
		sum, n := 0, 0
		for _, a := range list {
			if keep(a) {
				sum += a.scores[0] + a.scores[1] + a.scores[2] + a.scores[3]
				n++
			}
		}
		return float64(sum) / float64(4*n), n
	}
	inPeriod := func(a answered) bool { return !a.at.Before(from) && a.at.Before(to) }
	for _, a := range surveys {
		if !inPeriod(a) {
			t.Fatalf("survey at %s is outside the digest's period", a.at)
		}
	}
	for _, a := range previous {
		if inPeriod(a) || a.at.Before(from.Add(-7*24*time.Hour)) {
			t.Fatalf("survey at %s is not in the period before", a.at)
		}
	}
	_, digest := h.command(boss, "digest")
	for name, owner := range map[string]string{"Wang Wei": rep, "Li Na": rep2} {
		avg, n := average(surveys, func(a answered) bool { return a.owner == owner })
		if line := fmt.Sprintf("satisfaction %.1f (surveys: %d)", avg, n); !strings.Contains(digest.Raw, line) {
			t.Errorf("digest lacks %s's %q: %s", name, line, digest.Raw)
		}
	}
	cur, n := average(surveys, func(answered) bool { return true })
	prev, m := average(previous, func(answered) bool { return true })
	team := fmt.Sprintf("Team average *%.1f* (surveys: %d); the period before, %.1f (surveys: %d): :arrow_down: -0.8", cur, n, prev, m)
	if cur >= prev || !strings.Contains(digest.Raw, team) {
		t.Errorf("digest lacks %q (%.3f against %.3f): %s", team, cur, prev, digest.Raw)
	}
	for i, dim := range []string{"product quality", "service attitude", "response speed", "after-sales"} {
		sum := 0
		for _, a := range surveys {
			sum += a.scores[i]
		}
		if want := fmt.Sprintf("%s %.1f", dim, float64(sum)/float64(len(surveys))); !strings.Contains(digest.Raw, want) {
			t.Errorf("digest lacks %q", want)
		}
	}

	// The customer card shows the latest surveys.
	_, card := h.command(rep, "show acme")
	if !strings.Contains(card.Raw, "Satisfaction surveys") || !strings.Contains(card.Raw, "“Quality dropped &lt;!channel&gt;”") {
		t.Errorf("customer card lacks the surveys: %s", card.Raw)
	}
}

func TestSurveyFormFieldErrors(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id := h.customerID("Acme Trading Co")
	all := func(v map[string]any) map[string]any {
		out := map[string]any{"customer": external(id), "product_quality": pick("4"), "service_attitude": pick("4"), "response_speed": pick("4"), "after_sales": pick("4")}
		for k, x := range v {
			if x == nil {
				delete(out, k)
			} else {
				out[k] = x
			}
		}
		return out
	}
	h.command(rep, "survey")
	for name, c := range map[string]struct {
		values map[string]any
		field  string
	}{
		"no customer":      {all(map[string]any{"customer": nil}), "customer"},
		"unknown customer": {all(map[string]any{"customer": external("999999")}), "customer"},
		"no score":         {all(map[string]any{"response_speed": nil}), "response_speed"},
		"a score of 9":     {all(map[string]any{"after_sales": pick("9")}), "after_sales"},
		"tomorrow":         {all(map[string]any{"surveyed_on": date("2026-11-19")}), "surveyed_on"},
	} {
		t.Run(name, func(t *testing.T) {
			_, res := h.submit(rep, "new_survey", c.values)
			errs, _ := res["errors"].(map[string]any)
			if res["response_action"] != "errors" || errs[c.field] == nil {
				t.Fatalf("answer = %v, want an error on %s", res, c.field)
			}
		})
	}
	if got := h.count(`SELECT count(*) FROM surveys`); got != 0 {
		t.Errorf("surveys = %d after rejected forms", got)
	}

	h.command(repZH, "survey")
	zh, _ := h.slack.LastView("new_survey")
	for _, want := range []string{"满意度调查", "产品质量", "5 · 非常满意"} {
		if !strings.Contains(string(zh.JSON), want) {
			t.Errorf("Chinese survey form lacks %s", want)
		}
	}
	_, res := h.submit(repZH, "new_survey", all(map[string]any{"service_attitude": nil}))
	if errs, _ := res["errors"].(map[string]any); errs["service_attitude"] != "请选择1到5分。" {
		t.Errorf("Chinese score error = %v", res)
	}

	h.command(rep, "survey")
	h.pg.Cut()
	defer h.pg.Restore()
	_, res = h.submit(rep, "new_survey", all(nil))
	if raw := mustJSON(t, res); res["response_action"] != "errors" || !strings.Contains(raw, "Not saved") {
		t.Errorf("with Postgres down = %s, want Not saved", raw)
	}
}
