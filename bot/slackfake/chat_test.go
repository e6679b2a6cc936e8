package slackfake_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

var tsShape = regexp.MustCompile(`^\d{10}\.\d{6}$`)

func TestPostMessage(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)

	t.Run("to a channel", func(t *testing.T) {
		ch, ts, err := api.PostMessageContext(ctx, "C0SALES001",
			slack.MsgOptionText("Follow-up logged", false), slack.MsgOptionBlocks(section("*Acme* called")))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ch, "C0SALES001"; got != want {
			t.Errorf("channel = %q, want %q", got, want)
		}
		if !tsShape.MatchString(ts) {
			t.Errorf("ts = %q, want Slack's 1503435956.000247 shape", ts)
		}
		msgs := fake.Messages("C0SALES001")
		if got, want := len(msgs), 1; got != want {
			t.Fatalf("stored %d messages, want %d", got, want)
		}
		if got, want := msgs[0].Text, "Follow-up logged"; got != want {
			t.Errorf("text = %q, want %q", got, want)
		}
		if got, want := msgs[0].TS, ts; got != want {
			t.Errorf("stored ts = %q, want %q", got, want)
		}
		if !strings.Contains(string(msgs[0].Blocks), `"*Acme* called"`) {
			t.Errorf("blocks = %s, want the section", msgs[0].Blocks)
		}
	})

	t.Run("to a user id lands in the bot's DM", func(t *testing.T) {
		ch, _, err := api.PostMessageContext(ctx, "U0REP00001", slack.MsgOptionText("Reminder", false))
		if err != nil {
			t.Fatal(err)
		}
		dm, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0REP00001"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ch, dm.ID; got != want {
			t.Errorf("channel = %q, want the DM %q", got, want)
		}
		if got, want := len(fake.Messages("U0REP00001")), 1; got != want {
			t.Errorf("Messages(user) = %d messages, want %d", got, want)
		}
		if got, want := len(fake.Messages(dm.ID)), 1; got != want {
			t.Errorf("Messages(dm) = %d messages, want %d", got, want)
		}
	})

	t.Run("thread reply", func(t *testing.T) {
		_, parent, err := api.PostMessageContext(ctx, "C0THREAD01", slack.MsgOptionText("parent", false))
		if err != nil {
			t.Fatal(err)
		}
		_, _, msg, err := api.PostMessageWithResponseContext(ctx, "C0THREAD01",
			slack.MsgOptionText("reply", false), slack.MsgOptionTS(parent))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := msg.ThreadTimestamp, parent; got != want {
			t.Errorf("response thread_ts = %q, want %q", got, want)
		}
		if got, want := fake.Messages("C0THREAD01")[1].ThreadTS, parent; got != want {
			t.Errorf("stored thread_ts = %q, want %q", got, want)
		}
	})

	t.Run("long text is truncated at 40,000 characters", func(t *testing.T) {
		if _, _, err := api.PostMessageContext(ctx, "C0LONG0001", slack.MsgOptionText(strings.Repeat("é", 40001), false)); err != nil {
			t.Fatal(err)
		}
		if got, want := len([]rune(fake.Messages("C0LONG0001")[0].Text)), 40000; got != want {
			t.Errorf("stored %d characters, want %d", got, want)
		}
	})

	errorCases := []struct {
		name    string
		channel string
		opts    []slack.MsgOption
		want    string
	}{
		{"channel name", "#general", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "channel_not_found"},
		{"lower-case id", "c0sales001", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "channel_not_found"},
		{"unknown user", "U0NOBODY01", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "channel_not_found"},
		{"no text", "C0SALES001", nil, "no_text"},
		{"empty blocks and no text", "C0SALES001", []slack.MsgOption{slack.MsgOptionBlocks()}, "no_text"},
		{"51 blocks", "C0SALES001", []slack.MsgOption{slack.MsgOptionText("x", false), slack.MsgOptionBlocks(manySections(51)...)}, "invalid_blocks"},
		{"section text over 3000", "C0SALES001", []slack.MsgOption{slack.MsgOptionBlocks(section(strings.Repeat("a", 3001)))}, "invalid_blocks"},
		{"blocks text over 12,000 in all", "C0SALES001", []slack.MsgOption{slack.MsgOptionBlocks(
			section(strings.Repeat("a", 3000)), section(strings.Repeat("b", 3000)), section(strings.Repeat("c", 3000)),
			section(strings.Repeat("d", 3000)), section("e"))}, "msg_blocks_too_long"},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := api.PostMessageContext(ctx, tc.channel, tc.opts...)
			if got, want := slackError(err), tc.want; got != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}

	t.Run("invalid_blocks says where, as Slack does", func(t *testing.T) {
		_, _, err := api.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("x", false),
			slack.MsgOptionBlocks(manySections(51)...))
		if msgs := slackMessages(err); !containsMessage(msgs, "no more than 50 items allowed [json-pointer:/blocks]") {
			t.Errorf("messages = %q, want the 50-item limit at /blocks", msgs)
		}
	})
}

func manySections(n int) []slack.Block {
	blocks := make([]slack.Block, n)
	for i := range blocks {
		blocks[i] = section("line")
	}
	return blocks
}

func TestTimestampsAreUniqueAndIncreasing(t *testing.T) {
	ctx := context.Background()
	_, api, _ := setup(t) // the clock stands still: ts must still differ
	prev := ""
	for range 5 {
		_, ts, err := api.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("x", false))
		if err != nil {
			t.Fatal(err)
		}
		if ts <= prev {
			t.Errorf("ts %q does not follow %q", ts, prev)
		}
		prev = ts
	}
}

func TestUpdateMessage(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	_, ts, err := api.PostMessageContext(ctx, "C0SALES001", slack.MsgOptionText("Saving…", false),
		slack.MsgOptionBlocks(section("Saving…")))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("blocks replace blocks", func(t *testing.T) {
		_, gotTS, text, err := api.UpdateMessageContext(ctx, "C0SALES001", ts,
			slack.MsgOptionText("Saved", false), slack.MsgOptionBlocks(section("Saved ✅")))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := gotTS, ts; got != want {
			t.Errorf("ts = %q, want %q", got, want)
		}
		if got, want := text, "Saved"; got != want {
			t.Errorf("text = %q, want %q", got, want)
		}
		m := fake.Messages("C0SALES001")[0]
		if !strings.Contains(string(m.Blocks), "Saved ✅") {
			t.Errorf("blocks = %s, want the new section", m.Blocks)
		}
		if got, want := m.Edits, 1; got != want {
			t.Errorf("edits = %d, want %d", got, want)
		}
	})

	t.Run("text alone removes blocks", func(t *testing.T) {
		if _, _, _, err := api.UpdateMessageContext(ctx, "C0SALES001", ts, slack.MsgOptionText("Plain", false)); err != nil {
			t.Fatal(err)
		}
		if m := fake.Messages("C0SALES001")[0]; m.Blocks != nil || m.Text != "Plain" {
			t.Errorf("message = %+v, want text Plain and no blocks", m)
		}
	})

	errorCases := []struct {
		name, channel, ts string
		opts              []slack.MsgOption
		want              string
	}{
		{"unknown ts", "C0SALES001", "1500000000.000001", []slack.MsgOption{slack.MsgOptionText("x", false)}, "message_not_found"},
		{"user id instead of DM id", "U0REP00001", ts, []slack.MsgOption{slack.MsgOptionText("x", false)}, "channel_not_found"},
		{"text over 4,000", "C0SALES001", ts, []slack.MsgOption{slack.MsgOptionText(strings.Repeat("a", 4001), false)}, "msg_too_long"},
		{"no content", "C0SALES001", ts, nil, "no_text"},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := api.UpdateMessageContext(ctx, tc.channel, tc.ts, tc.opts...)
			if got, want := slackError(err), tc.want; got != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}
}

func TestPostEphemeral(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	ts, err := api.PostEphemeralContext(ctx, "C0SALES001", "U0REP00001", slack.MsgOptionText("Only you can see this", false))
	if err != nil {
		t.Fatal(err)
	}
	if !tsShape.MatchString(ts) {
		t.Errorf("message_ts = %q, want a Slack ts", ts)
	}
	msgs := fake.Messages("C0SALES001")
	if got, want := len(msgs), 1; got != want {
		t.Fatalf("stored %d messages, want %d", got, want)
	}
	if m := msgs[0]; !m.Ephemeral || m.User != "U0REP00001" || m.TS != ts {
		t.Errorf("stored %+v, want an ephemeral message for U0REP00001 at %s", m, ts)
	}

	t.Run("ephemeral messages cannot be updated", func(t *testing.T) {
		_, _, _, err := api.UpdateMessageContext(ctx, "C0SALES001", ts, slack.MsgOptionText("x", false))
		if got, want := slackError(err), "message_not_found"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		_, err := api.PostEphemeralContext(ctx, "C0SALES001", "U0NOBODY01", slack.MsgOptionText("x", false))
		if got, want := slackError(err), "user_not_in_channel"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestChatAcceptsJSONBodies(t *testing.T) {
	// Slack takes chat.postMessage as JSON too; blocks then come inline, not as a string.
	fake, _, _ := setup(t)
	body := `{"channel":"C0JSON0001","text":"hi","blocks":[{"type":"divider"}]}`
	resp := postRaw(t, fake.APIURL()+"chat.postMessage", "application/json", "Bearer "+fake.Token(), body)
	if got, want := resp["ok"], true; got != want {
		t.Fatalf("answer = %v, want ok", resp)
	}
	if got, want := string(fake.Messages("C0JSON0001")[0].Blocks), `[{"type":"divider"}]`; got != want {
		t.Errorf("blocks = %s, want %s", got, want)
	}
}
