package slackfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

// postRaw posts body and decodes the JSON answer, for what slack-go cannot send.
func postRaw(t *testing.T, url, contentType, auth, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer %q is not JSON: %v", b, err)
	}
	out["http_status"] = float64(resp.StatusCode)
	return out
}

func TestAuth(t *testing.T) {
	ctx := context.Background()
	fake, _, _ := setup(t)

	t.Run("auth.test", func(t *testing.T) {
		resp, err := fake.Client().AuthTestContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if resp.UserID != slackfake.BotUserID || resp.BotID != slackfake.BotID || resp.TeamID != slackfake.TeamID {
			t.Errorf("auth.test = %+v, want the fake's bot and team", resp)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		other := slack.New("xoxb-wrong", slack.OptionAPIURL(fake.APIURL()))
		_, _, err := other.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("x", false))
		if got, want := slackError(err), "invalid_auth"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
		if got, want := len(fake.Messages("C0SALES001")), 0; got != want {
			t.Errorf("stored %d messages, want %d", got, want)
		}
	})
	t.Run("wrong token on a JSON method", func(t *testing.T) {
		other := slack.New("xoxb-wrong", slack.OptionAPIURL(fake.APIURL()))
		_, err := other.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0REP00001",
			View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section("x")}}}})
		if got, want := slackError(err), "invalid_auth"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("no token", func(t *testing.T) {
		resp := postRaw(t, fake.APIURL()+"auth.test", "application/x-www-form-urlencoded", "", "")
		if got, want := resp["error"], "not_authed"; got != want {
			t.Errorf("error = %v, want %s", got, want)
		}
	})
	t.Run("token in a JSON body does not count", func(t *testing.T) {
		resp := postRaw(t, fake.APIURL()+"auth.test", "application/json", "", `{"token":"`+fake.Token()+`"}`)
		if got, want := resp["error"], "not_authed"; got != want {
			t.Errorf("error = %v, want %s", got, want)
		}
	})
	t.Run("WithToken", func(t *testing.T) {
		custom := slackfake.NewTest(t, slackfake.WithToken("xoxb-custom"))
		if _, err := slack.New("xoxb-custom", slack.OptionAPIURL(custom.APIURL())).AuthTestContext(ctx); err != nil {
			t.Errorf("auth.test with the configured token: %v", err)
		}
		_, err := slack.New(slackfake.DefaultToken, slack.OptionAPIURL(custom.APIURL())).AuthTestContext(ctx)
		if got, want := slackError(err), "invalid_auth"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestUnknownMethod(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	resp := postRaw(t, fake.APIURL()+"chat.scheduleMessage", "application/x-www-form-urlencoded", "Bearer "+fake.Token(), "")
	if got, want := resp["http_status"], float64(http.StatusNotFound); got != want {
		t.Errorf("status = %v, want %v", got, want)
	}
	if got, want := resp["error"], "unknown_method"; got != want {
		t.Errorf("error = %v, want %v", got, want)
	}
	_, _, err := api.ScheduleMessageContext(ctx, "C0SALES001", "1900000000", slack.MsgOptionText("x", false))
	var sce slack.StatusCodeError
	if !errors.As(err, &sce) || sce.Code != http.StatusNotFound {
		t.Errorf("slack-go error = %v, want a 404 StatusCodeError", err)
	}
}

func TestUsersInfo(t *testing.T) {
	ctx := context.Background()
	_, api, _ := setup(t)

	u, err := api.GetUserInfoContext(ctx, "U0REP00001")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.TZ, "Asia/Shanghai"; got != want {
		t.Errorf("tz = %q, want %q", got, want)
	}
	if got, want := u.TZOffset, 28800; got != want {
		t.Errorf("tz_offset = %d, want %d", got, want)
	}
	if got, want := u.Locale, "zh-CN"; got != want {
		t.Errorf("locale = %q, want %q (slack-go asks for include_locale)", got, want)
	}
	if got, want := u.RealName, "Mei Chen"; got != want {
		t.Errorf("real_name = %q, want %q", got, want)
	}

	t.Run("locale only when asked", func(t *testing.T) {
		u, err := api.GetUserInfoContext(ctx, "U0REP00001", slack.GetUserInfoOptionIncludeLocale(false))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Locale, ""; got != want {
			t.Errorf("locale = %q, want %q", got, want)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		_, err := api.GetUserInfoContext(ctx, "U0NOBODY01")
		if got, want := slackError(err), "user_not_found"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("the bot itself", func(t *testing.T) {
		u, err := api.GetUserInfoContext(ctx, slackfake.BotUserID)
		if err != nil {
			t.Fatal(err)
		}
		if !u.IsBot {
			t.Errorf("bot user is_bot = false")
		}
	})
}

func TestConversationsOpen(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	open := func(users ...string) (*slack.Channel, bool, error) {
		ch, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: users})
		return ch, already, err
	}

	dm, already, err := open("U0REP00001")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dm.ID, "D") || already {
		t.Errorf("first open = %q (already_open %v), want a new D… id", dm.ID, already)
	}
	again, already, err := open("U0REP00001")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := again.ID, dm.ID; got != want || !already {
		t.Errorf("second open = %q (already_open %v), want %q again", got, already, want)
	}
	group, _, err := open("U0REP00001", "U0MGR00001")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(group.ID, "G") || group.ID == dm.ID {
		t.Errorf("group open = %q, want a separate G… id", group.ID)
	}
	reordered, _, err := open("U0MGR00001", "U0REP00001")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reordered.ID, group.ID; got != want {
		t.Errorf("same users reordered = %q, want %q", got, want)
	}

	t.Run("return_im", func(t *testing.T) {
		ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0REP00001"}, ReturnIM: true})
		if err != nil {
			t.Fatal(err)
		}
		if !ch.IsIM || ch.User != "U0REP00001" {
			t.Errorf("channel = %+v, want the full IM object", ch)
		}
	})

	nine := []string{"U0REP00001", "U0MGR00001"}
	for i := range 7 {
		id := "U0EXTRA00" + string(rune('1'+i))
		fake.AddUser(slack.User{ID: id, Name: id})
		nine = append(nine, id)
	}
	errorCases := []struct {
		name  string
		users []string
		want  string
	}{
		{"unknown user", []string{"U0NOBODY01"}, "user_not_found"},
		{"nine users", nine, "too_many_users"},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := open(tc.users...)
			if got, want := slackError(err), tc.want; got != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}
	t.Run("deleted user", func(t *testing.T) {
		fake.AddUser(slack.User{ID: "U0GONE0001", Deleted: true})
		_, _, err := open("U0GONE0001")
		if got, want := slackError(err), "user_disabled"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestRecording(t *testing.T) {
	ctx := context.Background()
	fake, api, clk := setup(t)
	if _, _, err := api.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("hello", false)); err != nil {
		t.Fatal(err)
	}
	calls := fake.CallsTo("chat.postMessage")
	if got, want := len(calls), 1; got != want {
		t.Fatalf("recorded %d calls, want %d", got, want)
	}
	c := calls[0]
	if got, want := c.Arg("text"), "hello"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if c.Params.Has("token") {
		t.Errorf("the token was recorded")
	}
	if got, want := c.At, clk.Now(); !got.Equal(want) {
		t.Errorf("at = %v, want the fake clock's %v", got, want)
	}
	if c.Status != http.StatusOK || c.Error != "" {
		t.Errorf("status %d error %q, want 200 and no error", c.Status, c.Error)
	}

	t.Run("failed calls are recorded with their error", func(t *testing.T) {
		_, _, _ = api.PostMessageContext(ctx, "#nope", slack.MsgOptionText("x", false))
		calls := fake.CallsTo("chat.postMessage")
		if got, want := calls[len(calls)-1].Error, "channel_not_found"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
	})

	t.Run("WaitFor waits for asynchronous calls", func(t *testing.T) {
		go func() {
			time.Sleep(20 * time.Millisecond)
			_, _, _ = api.PostMessageContext(ctx, "C0LATER001", slack.MsgOptionText("later", false))
		}()
		calls := fake.WaitFor(t, "chat.postMessage", 3, 5*time.Second)
		if got, want := calls[2].Arg("channel"), "C0LATER001"; got != want {
			t.Errorf("third call channel = %q, want %q", got, want)
		}
		if got, want := len(fake.Calls()), 3; got != want {
			t.Errorf("Calls() = %d, want %d", got, want)
		}
	})

	t.Run("WaitFor fails the test on timeout", func(t *testing.T) {
		rec := &fatalRecorder{TB: t}
		fake.WaitFor(rec, "views.open", 1, 30*time.Millisecond)
		if !rec.failed {
			t.Errorf("WaitFor did not fail the test")
		}
	})
}

// fatalRecorder notes Fatalf instead of stopping the test, to test a failing WaitFor.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (r *fatalRecorder) Fatalf(string, ...any) { r.failed = true }
