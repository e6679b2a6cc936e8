package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
)

// The people of the permission matrix, besides the harness's rep (the owner), rep2 (a
// teammate), boss (the East team's manager) and admin.
const (
	westRep   = "U0WESTREP1" // another team's rep
	westBoss  = "U0WESTBOSS" // another team's manager
	sharedRep = "U0SHARED01" // another team's rep the customer is shared with
	leaver    = "U0LEAVER01" // an East rep whose book is handed over
)

// Who tries, in the matrix's column order.
var matrixActors = []struct{ name, id string }{
	{"owner", rep}, {"teammate", rep2}, {"shared with", sharedRep}, {"other team's rep", westRep},
	{"owner's manager", boss}, {"other team's manager", westBoss}, {"admin", admin},
}

const (
	Y = true
	N = false
)

// permissionMatrix is the access policy as users meet it, the one table this test checks
// every cell of: each surface (what a person does in Slack) against each kind of person,
// on Acme, a customer that the East rep owns and that is shared with one West rep.
var permissionMatrix = []struct {
	surface                                                         string
	owner, teammate, shared, otherRep, manager, otherManager, admin bool
}{
	{"show the card", Y, N, Y, N, Y, N, Y},
	{"see its personal data in full", Y, N, N, N, Y, N, Y},
	{"find it in the typeahead", Y, N, Y, N, Y, N, Y},
	{"quick log on it", Y, N, Y, N, Y, N, Y},
	{"log it through the form", Y, N, Y, N, Y, N, Y},
	{"file a complaint about it", Y, N, Y, N, Y, N, Y},
	{"press Done on its reminder", Y, N, Y, N, Y, N, Y},
	{"move its funnel stage", Y, N, Y, N, Y, N, Y},
	{"share it", Y, N, N, N, Y, N, Y},
	{"see the East team's digest", N, N, N, N, Y, N, Y},
	{"export the East team's customers", N, N, N, N, Y, N, Y},
	{"hand an East rep's book over", N, N, N, N, Y, N, Y},
	{"set up teams", N, N, N, N, N, N, Y},
	{"read its audit trail", N, N, N, N, N, N, Y},
}

// matrixWorld is the test's workspace: two teams, Acme with an open next step, shared with
// one rep of the other team.
type matrixWorld struct {
	h        *harness
	acme     int64
	acmeCode string
	actionID string
	reminder slackfake.Message
}

// openedView is the view with callbackID that opened since the fake had n views, if any.
func (w *matrixWorld) openedView(n int, callbackID string) bool {
	for _, v := range w.h.slack.Views()[n:] {
		if v.CallbackID == callbackID {
			return true
		}
	}
	return false
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	h := newHarness(t)
	for _, u := range []slack.User{
		{ID: westRep, Name: "zhou", RealName: "Zhou Min", TZ: "Asia/Shanghai", Locale: "en-US"},
		{ID: westBoss, Name: "sun", RealName: "Sun Li", TZ: "Asia/Shanghai", Locale: "en-US"},
		{ID: sharedRep, Name: "ma", RealName: "Ma Lin", TZ: "Asia/Shanghai", Locale: "en-US"},
		{ID: leaver, Name: "qian", RealName: "Qian Duo", TZ: "Asia/Shanghai", Locale: "en-US"},
	} {
		h.slack.AddUser(u)
	}
	h.register(rep, rep2, admin, boss, westRep, westBoss, sharedRep, leaver)
	ctx := context.Background()
	for _, team := range []followup.TeamSettings{
		{Name: "East", ManagerID: boss, MemberIDs: []string{rep, rep2, leaver}},
		{Name: "West", ManagerID: westBoss, MemberIDs: []string{westRep, sharedRep}},
	} {
		if _, err := h.db.SaveTeam(ctx, team, admin); err != nil {
			t.Fatal(err)
		}
	}
	h.newCustomerWithPersonalData(rep) // Acme Trading Co, owned by rep
	h.newCustomer(leaver, "Leaver Logistics", "13700002222")
	w := &matrixWorld{h: h}
	if err := h.db.SQLX().QueryRow(`SELECT id, code FROM customers WHERE name = 'Acme Trading Co'`).Scan(&w.acme, &w.acmeCode); err != nil {
		t.Fatal(err)
	}
	id, msg := h.remind("Acme", "send the contract")
	w.actionID = id
	w.reminder = msg
	if _, res := h.command(rep, "share Acme <@"+sharedRep+"|ma>"); !strings.Contains(res.Text, "Shared") {
		t.Fatalf("share = %q", res.Raw)
	}
	return w
}

// try does the surface's action as user and reports whether it was allowed, by what it
// changed or showed, putting back what it changed so the next person meets the same world.
func (w *matrixWorld) try(t *testing.T, surface, user string) bool {
	h := w.h
	count := func(q string, args ...any) int { return h.count(q, args...) }
	switch surface {
	case "show the card":
		_, res := h.command(user, "show Acme")
		return strings.Contains(res.Raw, w.acmeCode)
	case "see its personal data in full":
		_, res := h.command(user, "show Acme")
		return strings.Contains(res.Raw, "13800005678")
	case "find it in the typeahead":
		return strings.Contains(strings.Join(h.typeahead(user, "acme"), " "), "Acme Trading Co")
	case "quick log on it":
		before := count(`SELECT count(*) FROM follow_ups WHERE customer_id = $1`, w.acme)
		_, res := h.command(user, "log Acme: matrix quick log next: call back tomorrow")
		saved := count(`SELECT count(*) FROM follow_ups WHERE customer_id = $1`, w.acme) > before
		if saved != strings.Contains(res.Text, "Saved") {
			t.Errorf("quick log by %s: stored %v but answered %q", user, saved, res.Text)
		}
		return saved
	case "log it through the form":
		before := count(`SELECT count(*) FROM follow_ups WHERE customer_id = $1`, w.acme)
		h.command(user, "")
		status, res := h.submit(user, "log_followup", map[string]any{
			"customer": external(fmt.Sprint(w.acme)), "method": pick("phone"), "summary": text("Matrix: went through the price list"),
		})
		if status != http.StatusOK {
			t.Fatalf("log form by %s = %d", user, status)
		}
		saved := count(`SELECT count(*) FROM follow_ups WHERE customer_id = $1`, w.acme) > before
		if !saved && !strings.Contains(mustJSON(t, res), "not yours") {
			t.Errorf("log form refused for %s without saying why: %v", user, res)
		}
		return saved
	case "file a complaint about it":
		before := count(`SELECT count(*) FROM complaints WHERE customer_id = $1`, w.acme)
		h.command(user, "complaint")
		h.submit(user, "new_complaint", map[string]any{"customer": external(fmt.Sprint(w.acme)), "content": text("Matrix: the delivery was late")})
		return count(`SELECT count(*) FROM complaints WHERE customer_id = $1`, w.acme) > before
	case "press Done on its reminder":
		h.pressOnMessage(user, w.reminder, map[string]any{"action_id": "reminder_done", "block_id": "act:a" + w.actionID, "type": "button", "value": w.actionID})
		done := count(`SELECT count(*) FROM next_actions WHERE id = $1::bigint AND status = 'done'`, w.actionID) == 1
		h.db.SQLX().MustExec(`UPDATE next_actions SET status = 'open', done_at = NULL WHERE id = $1::bigint`, w.actionID)
		return done
	case "move its funnel stage":
		n := len(h.slack.Views())
		h.press(user, "stage_open", fmt.Sprint(w.acme), "")
		if !w.openedView(n, "stage_change") {
			return false
		}
		h.submit(user, "stage_change", map[string]any{"stage": pick("quoted")})
		moved := count(`SELECT count(*) FROM customers WHERE id = $1 AND stage = 'quoted'`, w.acme) == 1
		h.db.SQLX().MustExec(`UPDATE customers SET stage = 'lead' WHERE id = $1`, w.acme)
		return moved
	case "share it":
		_, res := h.command(user, "share Acme <@"+rep2+"|li>")
		shared := count(`SELECT count(*) FROM customer_shares WHERE customer_id = $1 AND slack_id = $2`, w.acme, rep2) == 1
		h.db.SQLX().MustExec(`DELETE FROM customer_shares WHERE customer_id = $1 AND slack_id = $2`, w.acme, rep2)
		if !shared && !strings.Contains(res.Text, "Only") && !strings.Contains(res.Text, "couldn't find") {
			t.Errorf("share refused for %s without saying why: %q", user, res.Text)
		}
		return shared
	case "see the East team's digest":
		_, res := h.command(user, "digest")
		return strings.Contains(res.Raw, "Wang Wei")
	case "export the East team's customers":
		before := len(h.slack.Files())
		h.command(user, "export customers csv")
		for _, f := range h.slack.Files()[before:] {
			if strings.Contains(string(f.Content), "Acme Trading Co") {
				return true
			}
		}
		return false
	case "hand an East rep's book over":
		_, res := h.command(user, "handover <@"+leaver+"|qian> <@"+rep2+"|li>")
		moved := count(`SELECT count(*) FROM customers WHERE name = 'Leaver Logistics' AND owner_id = $1`, rep2) == 1
		h.db.SQLX().MustExec(`UPDATE customers SET owner_id = $1 WHERE name = 'Leaver Logistics'`, leaver)
		if moved != strings.Contains(res.Text, "Handed over") {
			t.Errorf("hand-over by %s: moved %v but answered %q", user, moved, res.Text)
		}
		return moved
	case "set up teams":
		n := len(h.slack.Views())
		_, res := h.command(user, "team")
		return res.Text == "" && w.openedView(n, "team_setup")
	case "read its audit trail":
		_, res := h.command(user, "audit Acme")
		return strings.Contains(res.Raw, "Audit trail of Acme Trading Co") && strings.Contains(res.Raw, "shared the customer with")
	}
	t.Fatalf("no way to try %q", surface)
	return false
}

func TestPermissionMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	for _, row := range permissionMatrix {
		want := []bool{row.owner, row.teammate, row.shared, row.otherRep, row.manager, row.otherManager, row.admin}
		for i, actor := range matrixActors {
			if got := w.try(t, row.surface, actor.id); got != want[i] {
				t.Errorf("%s, as the %s: allowed = %v, want %v", row.surface, actor.name, got, want[i])
			}
		}
	}
}
