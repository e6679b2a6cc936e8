package slackfake_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

func TestResponseURL(t *testing.T) {
	ctx := context.Background()
	fake, api, clk := setup(t)
	url := fake.ResponseURL()
	if !strings.HasPrefix(url, fake.URL()+"/") {
		t.Fatalf("response URL %q is not on the fake's host", url)
	}
	respond := func(url string, opts ...slack.MsgOption) error {
		_, _, err := api.PostMessageContext(ctx, "", opts...)
		return err
	}

	if err := respond(url, slack.MsgOptionResponseURL(url, slack.ResponseTypeInChannel),
		slack.MsgOptionText("Logged", false), slack.MsgOptionBlocks(section("Logged *Acme*"))); err != nil {
		t.Fatal(err)
	}
	got := fake.Responses(url)
	if len(got) != 1 {
		t.Fatalf("recorded %d responses, want 1", len(got))
	}
	if r := got[0]; r.Text != "Logged" || r.ResponseType != "in_channel" || !strings.Contains(string(r.Blocks), "Logged *Acme*") {
		t.Errorf("response = %+v, want the in_channel message with its blocks", r)
	}
	if err := respond(url, slack.MsgOptionReplaceOriginal(url), slack.MsgOptionText("Done", false)); err != nil {
		t.Fatal(err)
	}
	if r := fake.Responses(url)[1]; !r.ReplaceOriginal {
		t.Errorf("replace_original = false, want true")
	}

	t.Run("five uses, then 404", func(t *testing.T) {
		for i := 3; i <= 5; i++ {
			if err := respond(url, slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral), slack.MsgOptionText("again", false)); err != nil {
				t.Fatalf("use %d: %v", i, err)
			}
		}
		err := respond(url, slack.MsgOptionResponseURL(url, slack.ResponseTypeEphemeral), slack.MsgOptionText("sixth", false))
		var sce slack.StatusCodeError
		if !errors.As(err, &sce) || sce.Code != http.StatusNotFound {
			t.Errorf("sixth use: error = %v, want a 404 StatusCodeError", err)
		}
		calls := fake.CallsTo(slackfake.MethodResponseURL)
		if got, want := calls[len(calls)-1].Error, "used_url"; got != want {
			t.Errorf("recorded error = %q, want %q", got, want)
		}
		if got, want := len(fake.Responses(url)), 5; got != want {
			t.Errorf("recorded %d responses, want %d", got, want)
		}
	})
	t.Run("expires after 30 minutes", func(t *testing.T) {
		fresh := fake.ResponseURL()
		clk.Advance(30*time.Minute + time.Second)
		err := respond(fresh, slack.MsgOptionResponseURL(fresh, slack.ResponseTypeEphemeral), slack.MsgOptionText("late", false))
		var sce slack.StatusCodeError
		if !errors.As(err, &sce) || sce.Code != http.StatusNotFound {
			t.Errorf("error = %v, want a 404 StatusCodeError", err)
		}
	})
	t.Run("invalid blocks are refused", func(t *testing.T) {
		fresh := fake.ResponseURL()
		err := respond(fresh, slack.MsgOptionResponseURL(fresh, slack.ResponseTypeEphemeral),
			slack.MsgOptionBlocks(section(strings.Repeat("a", 3001))))
		if err == nil {
			t.Errorf("a section of 3001 characters was accepted")
		}
		if got := fake.Responses(fresh); len(got) != 0 {
			t.Errorf("recorded %d responses, want 0", len(got))
		}
	})
	t.Run("AllResponses and WaitFor", func(t *testing.T) {
		if got, want := len(fake.AllResponses()), 5; got != want {
			t.Errorf("AllResponses = %d, want %d", got, want)
		}
		if got := fake.WaitFor(t, slackfake.MethodResponseURL, 5, time.Second); len(got) < 5 {
			t.Errorf("WaitFor returned %d calls", len(got))
		}
	})
}
