package slackfake_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

func TestFailNext(t *testing.T) {
	ctx := context.Background()
	post := func(api *slack.Client) error {
		_, _, err := api.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("x", false))
		return err
	}

	t.Run("429 with Retry-After is a RateLimitedError", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, 1500*time.Millisecond)
		err := post(api)
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) {
			t.Fatalf("error = %v, want *slack.RateLimitedError", err)
		}
		if got, want := rl.RetryAfter, 2*time.Second; got != want {
			t.Errorf("RetryAfter = %v, want %v (whole seconds, rounded up)", got, want)
		}
		if err := post(api); err != nil {
			t.Errorf("the call after the failure: %v", err)
		}
		calls := fake.CallsTo("chat.postMessage")
		if got, want := calls[0].Status, http.StatusTooManyRequests; got != want {
			t.Errorf("recorded status = %d, want %d", got, want)
		}
		if got, want := calls[0].Error, "ratelimited"; got != want {
			t.Errorf("recorded error = %q, want %q", got, want)
		}
		if got, want := len(fake.Messages("C0SALES001")), 1; got != want {
			t.Errorf("stored %d messages, want %d: the rate-limited one must not land", got, want)
		}
	})
	t.Run("429 without Retry-After is a status error", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, 0)
		var sce slack.StatusCodeError
		if err := post(api); !errors.As(err, &sce) || sce.Code != http.StatusTooManyRequests {
			t.Errorf("error = %v, want a 429 StatusCodeError", err)
		}
	})
	t.Run("slack-go's retry waits Retry-After and succeeds", func(t *testing.T) {
		fake, _, _ := setup(t)
		api := slack.New(fake.Token(), slack.OptionAPIURL(fake.APIURL()), slack.OptionRetry(1))
		fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, time.Second)
		if err := post(api); err != nil {
			t.Fatal(err)
		}
		calls := fake.CallsTo("chat.postMessage")
		if got, want := len(calls), 2; got != want {
			t.Errorf("recorded %d calls, want %d", got, want)
		}
	})
	t.Run("5xx is a status error", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.FailNext("views.publish", 2, http.StatusBadGateway, 0)
		home := slack.PublishViewContextRequest{UserID: "U0REP00001",
			View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section("x")}}}}
		for i := range 2 {
			_, err := api.PublishViewContext(ctx, home)
			var sce slack.StatusCodeError
			if !errors.As(err, &sce) || sce.Code != http.StatusBadGateway || !sce.Retryable() {
				t.Errorf("call %d: error = %v, want a retryable 502 StatusCodeError", i+1, err)
			}
		}
		if _, err := api.PublishViewContext(ctx, home); err != nil {
			t.Errorf("third call: %v", err)
		}
	})
	t.Run("FailNextError", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.FailNextError("chat.postMessage", 1, "not_in_channel")
		if got, want := slackError(post(api)), "not_in_channel"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
	})
	t.Run("AnyMethod", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.FailNextError(slackfake.AnyMethod, 1, "internal_error")
		_, err := api.GetUserInfoContext(ctx, "U0REP00001")
		if got, want := slackError(err), "internal_error"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
		if err := post(api); err != nil {
			t.Errorf("next call: %v", err)
		}
	})
	t.Run("Down", func(t *testing.T) {
		fake, api, _ := setup(t)
		fake.Down(true)
		var sce slack.StatusCodeError
		if err := post(api); !errors.As(err, &sce) || sce.Code != http.StatusServiceUnavailable {
			t.Errorf("error = %v, want a 503 StatusCodeError", err)
		}
		if _, err := api.AuthTestContext(ctx); !errors.As(err, &sce) {
			t.Errorf("auth.test error = %v, want a 503 StatusCodeError", err)
		}
		fake.Down(false)
		if err := post(api); err != nil {
			t.Errorf("after recovery: %v", err)
		}
	})
}

func TestHangNextLeavesTheCallUnansweredAndUndone(t *testing.T) {
	s := slackfake.NewTest(t)
	s.AddUser(slack.User{ID: "U0REP00001", Name: "wang"})
	s.HangNext("chat.postMessage", 1)
	client := s.Client(slack.OptionHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	dm, _, _, err := client.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U0REP00001"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err = client.PostMessage(dm.ID, slack.MsgOptionText("hello", false))
	if err == nil {
		t.Fatal("a hung call returned no error")
	}
	if elapsed := time.Since(start); elapsed < 250*time.Millisecond {
		t.Errorf("the call ended after %s, before the client's timeout", elapsed)
	}
	if got := len(s.Messages("U0REP00001")); got != 0 {
		t.Errorf("messages after a hung post = %d, want 0", got)
	}
	calls := s.CallsTo("chat.postMessage")
	if len(calls) != 1 || calls[0].Error != "no_response" {
		t.Errorf("calls = %+v, want one recorded as no_response", calls)
	}
	if _, _, err := client.PostMessage(dm.ID, slack.MsgOptionText("again", false)); err != nil {
		t.Fatalf("the next call: %v", err)
	}
	if got := len(s.Messages("U0REP00001")); got != 1 {
		t.Errorf("messages after the next post = %d, want 1", got)
	}
}
