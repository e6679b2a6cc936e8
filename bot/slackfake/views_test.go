package slackfake_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func modal(callbackID, title string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      plain(title),
		Close:      plain("Cancel"),
		Submit:     plain("Save"),
		CallbackID: callbackID,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("summary", plain("What happened?"), nil,
				slack.NewPlainTextInputBlockElement(plain("Called Acme…"), "summary")),
		}},
	}
}

func TestOpenView(t *testing.T) {
	ctx := context.Background()
	fake, api, clk := setup(t)

	trigger := fake.NewTriggerID()
	resp, err := api.OpenViewContext(ctx, trigger, modal("log_followup", "Log follow-up"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(resp.ID, "V") || resp.Hash == "" {
		t.Errorf("view id %q hash %q, want a V… id and a hash", resp.ID, resp.Hash)
	}
	if got, want := resp.RootViewID, resp.ID; got != want {
		t.Errorf("root_view_id = %q, want %q", got, want)
	}
	if got, want := resp.CallbackID, "log_followup"; got != want {
		t.Errorf("callback_id = %q, want %q", got, want)
	}
	if got, want := len(resp.Blocks.BlockSet), 1; got != want {
		t.Errorf("returned %d blocks, want %d", got, want)
	}
	v, ok := fake.LastView("log_followup")
	if !ok {
		t.Fatal("LastView found nothing")
	}
	if v.ID != resp.ID || v.Title != "Log follow-up" || !v.Open {
		t.Errorf("stored view = %+v, want the open modal %s", v, resp.ID)
	}
	if got, want := fake.CallsTo("views.open")[0].Arg("trigger_id"), trigger; got != want {
		t.Errorf("recorded trigger_id = %q, want %q", got, want)
	}

	t.Run("a trigger works once", func(t *testing.T) {
		_, err := api.OpenViewContext(ctx, trigger, modal("log_followup", "Again"))
		if got, want := slackError(err), "exchanged_trigger_id"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("a trigger expires after 3 s", func(t *testing.T) {
		onTime := fake.NewTriggerID()
		late := fake.NewTriggerID()
		clk.Advance(3 * time.Second)
		if _, err := api.OpenViewContext(ctx, onTime, modal("a", "At 3 s")); err != nil {
			t.Errorf("at exactly 3 s: %v", err)
		}
		clk.Advance(time.Millisecond)
		_, err := api.OpenViewContext(ctx, late, modal("a", "Too late"))
		if got, want := slackError(err), "expired_trigger_id"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("malformed and unknown triggers", func(t *testing.T) {
		for _, id := range []string{"not-a-trigger", "132456.7890123.abcdef"} {
			_, err := api.OpenViewContext(ctx, id, modal("a", "x"))
			if got, want := slackError(err), "invalid_trigger_id"; got != want {
				t.Errorf("%s: error = %v, want %s", id, err, want)
			}
		}
	})
	t.Run("AllowTrigger takes ids from saved payloads", func(t *testing.T) {
		const sample = "768915595217.771150964790.bbc12e4f1483ce782cd891edf9dca94c"
		fake.AllowTrigger(sample)
		if _, err := api.OpenViewContext(ctx, sample, modal("a", "From a sample")); err != nil {
			t.Error(err)
		}
	})
	t.Run("a 25-character title", func(t *testing.T) {
		_, err := api.OpenViewContext(ctx, fake.NewTriggerID(), modal("a", strings.Repeat("x", 25)))
		if got, want := slackError(err), "invalid_arguments"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
		if msgs := slackMessages(err); !containsMessage(msgs, "must be less than 25 characters [json-pointer:/view/title/text]") {
			t.Errorf("messages = %q, want the title limit", msgs)
		}
	})
	t.Run("an invalid view does not use up the trigger", func(t *testing.T) {
		id := fake.NewTriggerID()
		_, _ = api.OpenViewContext(ctx, id, modal("a", strings.Repeat("x", 25)))
		if _, err := api.OpenViewContext(ctx, id, modal("a", "Fixed")); err != nil {
			t.Error(err)
		}
	})
	t.Run("input blocks need submit", func(t *testing.T) {
		m := modal("a", "No submit")
		m.Submit = nil
		_, err := api.OpenViewContext(ctx, fake.NewTriggerID(), m)
		if msgs := slackMessages(err); !containsMessage(msgs, "missing required field: submit") {
			t.Errorf("error = %v %q, want submit required", err, msgs)
		}
	})
	t.Run("duplicate external_id", func(t *testing.T) {
		m := modal("a", "External")
		m.ExternalID = "followup-42"
		if _, err := api.OpenViewContext(ctx, fake.NewTriggerID(), m); err != nil {
			t.Fatal(err)
		}
		_, err := api.OpenViewContext(ctx, fake.NewTriggerID(), m)
		if got, want := slackError(err), "duplicate_external_id"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestPushView(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	root, err := api.OpenViewContext(ctx, fake.NewTriggerID(), modal("log_followup", "Log follow-up"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := api.PushViewContext(ctx, fake.NewViewTriggerID(root.ID), modal("pick_customer", "Pick customer"))
	if err != nil {
		t.Fatal(err)
	}
	if second.RootViewID != root.ID || second.PreviousViewID != root.ID {
		t.Errorf("pushed view root %q previous %q, want both %q", second.RootViewID, second.PreviousViewID, root.ID)
	}
	third, err := api.PushViewContext(ctx, fake.NewTriggerID(), modal("new_customer", "New customer"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := third.PreviousViewID, second.ID; got != want {
		t.Errorf("previous_view_id = %q, want %q", got, want)
	}
	_, err = api.PushViewContext(ctx, fake.NewViewTriggerID(third.ID), modal("fourth", "Fourth"))
	if got, want := slackError(err), "push_limit_reached"; got != want {
		t.Errorf("fourth view: error = %v, want %s", err, want)
	}

	t.Run("closing frees the stack", func(t *testing.T) {
		fake.CloseView(third.ID)
		if _, err := api.PushViewContext(ctx, fake.NewViewTriggerID(second.ID), modal("again", "Again")); err != nil {
			t.Error(err)
		}
		if v, _ := fake.View(third.ID); v.Open {
			t.Errorf("closed view still open")
		}
	})
	t.Run("push from a closed modal", func(t *testing.T) {
		fake.CloseView(root.ID)
		_, err := api.PushViewContext(ctx, fake.NewViewTriggerID(root.ID), modal("late", "Late"))
		if got, want := slackError(err), "not_found"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestUpdateView(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	m := modal("log_followup", "Log follow-up")
	m.ExternalID = "log-1"
	opened, err := api.OpenViewContext(ctx, fake.NewTriggerID(), m)
	if err != nil {
		t.Fatal(err)
	}

	saving := modal("log_followup", "Saving…")
	saving.ExternalID = "log-1" // the new definition replaces the old one, external_id included
	updated, err := api.UpdateViewContext(ctx, saving, "", opened.Hash, opened.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := updated.ID, opened.ID; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
	if updated.Hash == opened.Hash {
		t.Errorf("hash did not change on update")
	}
	if v, _ := fake.View(opened.ID); v.Title != "Saving…" || v.Updates != 1 {
		t.Errorf("stored view = %+v, want the new title and 1 update", v)
	}

	t.Run("stale hash", func(t *testing.T) {
		_, err := api.UpdateViewContext(ctx, modal("log_followup", "Stale"), "", opened.Hash, opened.ID)
		if got, want := slackError(err), "hash_conflict"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("by external_id", func(t *testing.T) {
		m := modal("log_followup", "By external id")
		m.ExternalID = "log-1"
		if _, err := api.UpdateViewContext(ctx, m, "log-1", "", ""); err != nil {
			t.Error(err)
		}
	})
	t.Run("over-limit update", func(t *testing.T) {
		m := modal("log_followup", "Too long")
		m.PrivateMetadata = strings.Repeat("m", 3001)
		_, err := api.UpdateViewContext(ctx, m, "", "", opened.ID)
		if got, want := slackError(err), "invalid_arguments"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("unknown and closed views", func(t *testing.T) {
		_, err := api.UpdateViewContext(ctx, modal("a", "x"), "", "", "V0NOPE0001")
		if got, want := slackError(err), "not_found"; got != want {
			t.Errorf("unknown: error = %v, want %s", err, want)
		}
		fake.CloseView(opened.ID)
		_, err = api.UpdateViewContext(ctx, modal("a", "x"), "", "", opened.ID)
		if got, want := slackError(err), "not_found"; got != want {
			t.Errorf("closed: error = %v, want %s", err, want)
		}
	})
}

func TestPublishView(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: "home",
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewHeaderBlock(plain("Your follow-ups")), section("3 due today")}}}

	first, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001", View: home})
	if err != nil {
		t.Fatal(err)
	}
	v, ok := fake.HomeView("U0REP00001")
	if !ok || v.ID != first.ID || v.Type != "home" || v.User != "U0REP00001" {
		t.Fatalf("HomeView = %+v %v, want the published view", v, ok)
	}
	if !strings.Contains(string(v.Blocks), "3 due today") {
		t.Errorf("blocks = %s, want the section", v.Blocks)
	}

	second, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001", View: home, Hash: &first.Hash})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := second.ID, first.ID; got != want {
		t.Errorf("republished id = %q, want the same %q", got, want)
	}

	t.Run("stale hash", func(t *testing.T) {
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001", View: home, Hash: &first.Hash})
		if got, want := slackError(err), "hash_conflict"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("a modal cannot be published", func(t *testing.T) {
		bad := home
		bad.Type = slack.VTModal
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001", View: bad})
		if got, want := slackError(err), "invalid_arguments"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("101 blocks", func(t *testing.T) {
		big := home
		big.Blocks = slack.Blocks{BlockSet: manySections(101)}
		_, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001", View: big})
		if msgs := slackMessages(err); !containsMessage(msgs, "no more than 100 items allowed [json-pointer:/view/blocks]") {
			t.Errorf("error = %v %q, want the 100-block limit", err, msgs)
		}
	})
}
