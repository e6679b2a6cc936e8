package slackfake

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Text limits from Slack's docs: chat.postMessage silently truncates text beyond 40,000
// characters; chat.update refuses text beyond 4,000 with msg_too_long.
const (
	maxPostText    = 40000
	maxUpdateText  = 4000
	maxAttachments = 100
)

// Message is a message the bot posted, as the fake stored it.
type Message struct {
	Channel     string          // conversation id (a user id given to chat.postMessage is resolved to the DM)
	TS          string          // Slack timestamp, unique and increasing, e.g. "1503435956.000247"
	Text        string          // text after Slack's truncation
	Blocks      json.RawMessage // blocks as sent (compacted), nil when none
	Attachments json.RawMessage // legacy attachments as sent, nil when none
	ThreadTS    string          // parent ts for thread replies
	Ephemeral   bool            // posted with chat.postEphemeral
	User        string          // recipient of an ephemeral message
	Files       []string        // ids of files shared with files.completeUploadExternal
	Edits       int             // how many times chat.update changed it
}

// Messages returns the messages posted to a conversation, oldest first. channel may be a
// user id: that user's DM with the bot is meant, as chat.postMessage reads it.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if userIDPattern.MatchString(channel) {
		channel = s.dms[channel]
	}
	out := make([]Message, 0, len(s.messages[channel]))
	for _, m := range s.messages[channel] {
		c := *m
		c.Files = append([]string(nil), m.Files...)
		out = append(out, c)
	}
	return out
}

// resolveChannel checks a channel argument the way chat.* do: a conversation id, or for
// chat.postMessage a known user's id, which posts to the bot's DM with that user.
func (s *Server) resolveChannel(ch string, allowUser bool) (string, bool) {
	switch {
	case conversationIDPattern.MatchString(ch):
		return ch, true
	case allowUser && userIDPattern.MatchString(ch):
		if u, ok := s.users[ch]; !ok || u.Deleted {
			return "", false
		}
		id, _ := s.openDM([]string{ch})
		return id, true
	}
	return "", false
}

// content is what a chat.* call asked to show.
type content struct {
	text        string
	hasText     bool
	blocks      json.RawMessage
	hasBlocks   bool
	attachments json.RawMessage
}

func (c content) empty() bool {
	return c.text == "" && !hasItems(c.blocks) && !hasItems(c.attachments)
}

// readContent reads and checks text, markdown_text, blocks and attachments.
func readContent(a args) (content, *apiError) {
	c := content{text: a.str("text"), hasText: a.has("text")}
	if md := a.str("markdown_text"); md != "" {
		if c.text != "" || a.has("blocks") {
			return c, &apiError{Error: "markdown_text_conflict"}
		}
		c.text, c.hasText = md, true
	}
	if raw, ok := a.raw("blocks"); ok {
		if err := ValidateBlocks(raw, SurfaceMessage); err != nil {
			e := validationError(err)
			return c, &e
		}
		c.blocks, c.hasBlocks = compact(raw), true
	}
	if raw, ok := a.raw("attachments"); ok {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return c, &apiError{Error: "invalid_attachments"}
		}
		if len(list) > maxAttachments {
			return c, &apiError{Error: "too_many_attachments"}
		}
		c.attachments = compact(raw)
	}
	return c, nil
}

func (s *Server) chatPostMessage(a args) any {
	ch, ok := s.resolveChannel(a.str("channel"), true)
	if !ok {
		return errorf("channel_not_found")
	}
	c, errResp := readContent(a)
	if errResp != nil {
		return *errResp
	}
	if c.empty() {
		return errorf("no_text")
	}
	m := &Message{Channel: ch, TS: s.nextTS(), Text: truncate(c.text, maxPostText),
		Blocks: nonEmpty(c.blocks), Attachments: nonEmpty(c.attachments), ThreadTS: a.str("thread_ts")}
	s.messages[ch] = append(s.messages[ch], m)
	return map[string]any{"ok": true, "channel": ch, "ts": m.TS, "message": messageObject(m)}
}

func (s *Server) chatPostEphemeral(a args) any {
	ch, ok := s.resolveChannel(a.str("channel"), false)
	if !ok {
		return errorf("channel_not_found")
	}
	user := a.str("user")
	if u, ok := s.users[user]; !ok || u.Deleted {
		// The fake has no channel membership; a user it does not know is not in any.
		return errorf("user_not_in_channel")
	}
	c, errResp := readContent(a)
	if errResp != nil {
		return *errResp
	}
	if c.empty() {
		return errorf("no_text")
	}
	m := &Message{Channel: ch, TS: s.nextTS(), Text: truncate(c.text, maxPostText),
		Blocks: nonEmpty(c.blocks), Attachments: nonEmpty(c.attachments),
		ThreadTS: a.str("thread_ts"), Ephemeral: true, User: user}
	s.messages[ch] = append(s.messages[ch], m)
	return map[string]any{"ok": true, "message_ts": m.TS}
}

// chatUpdate follows Slack's documented rules: blocks replace the old blocks (an empty
// array removes them); text without blocks removes the old blocks; an update with
// neither keeps them. Ephemeral messages cannot be updated.
func (s *Server) chatUpdate(a args) any {
	ch, ok := s.resolveChannel(a.str("channel"), false)
	if !ok {
		return errorf("channel_not_found")
	}
	var m *Message
	for _, cand := range s.messages[ch] {
		if cand.TS == a.str("ts") && !cand.Ephemeral {
			m = cand
		}
	}
	if m == nil {
		return errorf("message_not_found")
	}
	c, errResp := readContent(a)
	if errResp != nil {
		return *errResp
	}
	if c.empty() {
		return errorf("no_text")
	}
	if utf8.RuneCountInString(c.text) > maxUpdateText {
		return errorf("msg_too_long")
	}
	switch {
	case c.hasBlocks:
		m.Blocks, m.Text = nonEmpty(c.blocks), c.text
	case c.hasText:
		m.Blocks, m.Text = nil, c.text
	}
	if c.attachments != nil {
		m.Attachments = nonEmpty(c.attachments)
	}
	m.Edits++
	return map[string]any{"ok": true, "channel": ch, "ts": m.TS, "text": m.Text, "message": messageObject(m)}
}

// messageObject is the message as chat.* return it.
func messageObject(m *Message) map[string]any {
	obj := map[string]any{"type": "message", "text": m.Text, "user": BotUserID, "bot_id": BotID,
		"app_id": AppID, "team": TeamID, "ts": m.TS}
	if m.Blocks != nil {
		obj["blocks"] = m.Blocks
	}
	if m.Attachments != nil {
		obj["attachments"] = m.Attachments
	}
	if m.ThreadTS != "" {
		obj["thread_ts"] = m.ThreadTS
	}
	if m.Edits > 0 {
		obj["edited"] = map[string]any{"user": BotUserID, "ts": m.TS}
	}
	return obj
}

func truncate(s string, max int) string {
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// hasItems reports whether raw is a non-empty JSON array.
func hasItems(raw json.RawMessage) bool {
	var list []json.RawMessage
	return json.Unmarshal(raw, &list) == nil && len(list) > 0
}

func nonEmpty(raw json.RawMessage) json.RawMessage {
	if !hasItems(raw) {
		return nil
	}
	return raw
}
