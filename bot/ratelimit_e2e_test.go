package bot_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFloodIsRefusedPolitelyPerPerson: past their limit a person's commands are answered
// with a friendly refusal and change nothing, while someone else is served as usual; a
// flood of DMs is told once, not once a message.
func TestFloodIsRefusedPolitelyPerPerson(t *testing.T) {
	h := newHarness(t)
	h.commandsPerMinute = 3
	h.start(h.redis)
	h.newCustomer(rep, "Acme Trading Co", "13800005678") // /followup new: one command

	logs := func() int { return h.count(`SELECT count(*) FROM follow_ups`) }
	for i := range 2 {
		if status, res := h.command(rep, "log Acme: called Wang about the quote next: send it tomorrow"); status != http.StatusOK || !strings.Contains(res.Text, "Saved") {
			t.Fatalf("log %d within the limit = %d %q", i+1, status, res.Raw)
		}
	}
	status, res := h.command(rep, "log Acme: called again next: send it tomorrow")
	if status != http.StatusOK || !strings.Contains(res.Text, "Wait a few seconds") {
		t.Fatalf("log past the limit = %d %q, want the friendly refusal", status, res.Raw)
	}
	if got := logs(); got != 2 {
		t.Errorf("follow-ups stored = %d, want the 2 within the limit", got)
	}
	if status, res := h.command(rep2, "help"); status != http.StatusOK || strings.Contains(res.Text, "Wait a few seconds") {
		t.Errorf("another person = %d %q, want them served", status, res.Raw)
	}

	// A DM flood past the limit: the first refusal is explained, the rest are not answered.
	before := len(h.slack.Messages(rep))
	for i, id := range []string{"Ev1", "Ev2", "Ev3"} {
		h.say(rep, "hello "+strings.Repeat("!", i), id)
	}
	var told int
	for _, m := range h.slack.Messages(rep)[before:] {
		if strings.Contains(m.Text, "Wait a few seconds") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("refusals in the DM = %d, want 1 for the whole flood", told)
	}
}
