package bot_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func users(ids ...string) map[string]any {
	return map[string]any{"type": "multi_users_select", "selected_users": ids}
}

func user(id string) map[string]any {
	return map[string]any{"type": "users_select", "selected_user": id}
}

func TestAdminSetsUpATeamAndTheManagerGetsADigest(t *testing.T) {
	h := newHarness(t)
	if _, res := h.command(rep, "team"); !strings.Contains(res.Text, "Only admins") {
		t.Fatalf("a rep's /followup team = %q, want a polite refusal", res.Text)
	}
	if status, res := h.command(admin, "team"); status != http.StatusOK || res.Text != "" {
		t.Fatalf("admin /followup team = %d %q", status, res.Raw)
	}
	_, res := h.submit(admin, "team_setup", map[string]any{
		"team_name": text("East"), "manager": user(boss), "members": users(rep, rep2),
		"calendar": pick("cn"), "work_hours": text("8-17"), "cadence_A": text("0"),
	})
	errs, _ := res["errors"].(map[string]any)
	if errs["work_hours"] == nil || errs["cadence_A"] == nil {
		t.Fatalf("bad hours and cadence accepted: %v", res)
	}
	status, res := h.submit(admin, "team_setup", map[string]any{
		"team_name": text("East"), "manager": user(boss), "members": users(rep, rep2),
		"calendar": pick("cn"), "work_hours": text("08:30-17:30"), "cadence_A": text("2"),
	})
	if status != http.StatusOK || res != nil {
		t.Fatalf("team submission = %d %v", status, res)
	}
	if got := h.count(`SELECT count(*) FROM people p JOIN teams t ON t.id = p.team_id
		WHERE t.name = 'East' AND t.manager_id = $1 AND t.calendar = 'cn' AND t.work_hours = '08:30-17:30'`, boss); got != 2 {
		t.Errorf("team members = %d, want 2", got)
	}
	if got := h.count(`SELECT count(*) FROM people WHERE slack_id = $1 AND role = 'manager'`, boss); got != 1 {
		t.Errorf("the manager was not made a manager")
	}
	if got := h.count(`SELECT count(*) FROM tier_cadences WHERE tier = 'A' AND every_days = 2`); got != 1 {
		t.Errorf("team cadence not saved")
	}

	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.command(rep, "log acme: confirmed the order next: send the contract tomorrow")
	h.clock.Advance(time.Minute)
	_, digest := h.command(boss, "digest")
	for _, want := range []string{"Team digest", "*Wang Wei*: follow-ups 1", "*Li Na*: follow-ups 0"} {
		if !strings.Contains(digest.Raw, want) {
			t.Errorf("digest lacks %q: %s", want, digest.Raw)
		}
	}
	if _, res := h.command(rep, "digest"); !strings.Contains(res.Text, "Digests are for managers") {
		t.Errorf("a rep's digest = %q", res.Text)
	}
}
