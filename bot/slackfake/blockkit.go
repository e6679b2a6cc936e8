package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Surfaces ValidateBlocks knows. Limits differ: 50 blocks in a message, 100 in a modal
// or Home tab, and some blocks exist only in messages.
const (
	// SurfaceMessage is chat.postMessage, chat.postEphemeral, chat.update and response_url.
	SurfaceMessage = "message"
	// SurfaceModal is a modal opened, pushed or updated with views.*.
	SurfaceModal = "modal"
	// SurfaceHome is a Home tab published with views.publish.
	SurfaceHome = "home"
)

// Limits from Slack's Block Kit reference that are not per-field.
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	// maxMessageBlocksText is the cumulative text a message's blocks may carry before
	// Slack answers msg_blocks_too_long. Slack does not document it; its SDK maintainers
	// put it at "12,000 text characters with a buffer for block containers" (bolt-js
	// issues 2509, 2867), so the fake holds the bot to 12,000.
	maxMessageBlocksText = 12000
)

// ValidationError is a payload Slack would refuse, described the way Slack does.
type ValidationError struct {
	// Code is Slack's error name: invalid_blocks, invalid_blocks_format or
	// msg_blocks_too_long for messages, invalid_arguments for views.
	Code string
	// Messages are Slack's response_metadata.messages, such as
	// "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]".
	Messages []string
}

// Error returns the code and the messages.
func (e *ValidationError) Error() string {
	if len(e.Messages) == 0 {
		return e.Code
	}
	return e.Code + ": " + strings.Join(e.Messages, "; ")
}

// ValidateBlocks checks a blocks array against Block Kit's structure and limits for a
// surface (SurfaceMessage, SurfaceModal or SurfaceHome) and returns a *ValidationError
// when Slack would refuse it. JSON pointers in the messages start at /blocks.
func ValidateBlocks(blocks json.RawMessage, surface string) error {
	code := "invalid_arguments"
	if surface == SurfaceMessage {
		code = "invalid_blocks"
	}
	v, err := decodeAny(blocks)
	if _, isArray := v.([]any); err != nil || !isArray {
		if surface == SurfaceMessage {
			return &ValidationError{Code: "invalid_blocks_format"}
		}
		return &ValidationError{Code: code, Messages: []string{"[ERROR] must provide an array [json-pointer:/blocks]"}}
	}
	c := &checker{surface: surface}
	c.blocks(v, "/blocks")
	if len(c.msgs) > 0 {
		return &ValidationError{Code: code, Messages: c.msgs}
	}
	if surface == SurfaceMessage && textChars(v) > maxMessageBlocksText {
		return &ValidationError{Code: "msg_blocks_too_long"}
	}
	return nil
}

// ValidateView checks a modal or Home tab view object against Slack's limits and returns
// a *ValidationError (invalid_arguments) when views.open/push/update/publish would
// refuse it. JSON pointers in the messages start at /view, as in Slack's answers.
func ValidateView(view json.RawMessage) error {
	v, err := decodeAny(view)
	obj, ok := v.(map[string]any)
	if err != nil || !ok {
		return &ValidationError{Code: "invalid_arguments", Messages: []string{"[ERROR] must provide an object [json-pointer:/view]"}}
	}
	c := &checker{}
	c.view(obj, "/view")
	if len(c.msgs) > 0 {
		return &ValidationError{Code: "invalid_arguments", Messages: c.msgs}
	}
	return nil
}

func (c *checker) view(obj map[string]any, ptr string) {
	c.surface, _ = obj["type"].(string)
	c.enum(obj, "type", ptr, true, SurfaceModal, SurfaceHome)
	if c.surface != SurfaceHome {
		c.surface = SurfaceModal
		c.text(obj, "title", ptr, true, true, 24)
		c.text(obj, "close", ptr, false, true, 24)
		c.text(obj, "submit", ptr, false, true, 24)
	}
	if blocks, ok := present(obj, "blocks"); !ok {
		c.fail(ptr, "missing required field: blocks")
	} else if c.blocks(blocks, ptr+"/blocks") && c.surface == SurfaceModal {
		if _, ok := present(obj, "submit"); !ok {
			// Slack: "submit ... Required if an input block is within the blocks array."
			c.fail(ptr, "missing required field: submit")
		}
	}
	c.str(obj, "private_metadata", ptr, false, 0, 3000)
	c.str(obj, "callback_id", ptr, false, 0, 255)
	c.str(obj, "external_id", ptr, false, 0, 255)
	c.boolean(obj, "clear_on_close", ptr)
	c.boolean(obj, "notify_on_close", ptr)
	c.boolean(obj, "submit_disabled", ptr)
}

// checker collects Slack-style messages while walking a payload decoded with UseNumber.
type checker struct {
	surface string
	msgs    []string
}

func (c *checker) fail(ptr, format string, a ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, a...), ptr))
}

// present returns a field that is set; Slack treats null like a missing field, and
// slack-go writes null for some optional pointers.
func present(obj map[string]any, key string) (any, bool) {
	v, ok := obj[key]
	return v, ok && v != nil
}

// object checks that v is a JSON object.
func (c *checker) object(v any, ptr string) (map[string]any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.fail(ptr, "must provide an object")
	}
	return obj, ok
}

// str checks an optional or required string field with a length range in characters
// (max 0 means no upper limit) and returns it.
func (c *checker) str(obj map[string]any, key, ptr string, required bool, min, max int) (string, bool) {
	v, ok := present(obj, key)
	if !ok {
		if required {
			c.fail(ptr, "missing required field: %s", key)
		}
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		c.fail(ptr+"/"+key, "must provide a string")
		return "", false
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n < min:
		c.fail(ptr+"/"+key, "must be more than %d characters", min-1)
	case max > 0 && n > max:
		c.fail(ptr+"/"+key, "must be less than %d characters", max+1)
	}
	return s, true
}

// text checks a text composition object: plain_text (or mrkdwn unless plainOnly) with
// 1..max characters.
func (c *checker) text(obj map[string]any, key, ptr string, required, plainOnly bool, max int) {
	v, ok := present(obj, key)
	if !ok {
		if required {
			c.fail(ptr, "missing required field: %s", key)
		}
		return
	}
	c.textObject(v, ptr+"/"+key, plainOnly, max)
}

func (c *checker) textObject(v any, ptr string, plainOnly bool, max int) {
	t, ok := c.object(v, ptr)
	if !ok {
		return
	}
	allowed := []string{"plain_text", "mrkdwn"}
	if plainOnly {
		allowed = allowed[:1]
	}
	typ := c.enum(t, "type", ptr, true, allowed...)
	c.str(t, "text", ptr, true, 1, max)
	if _, hasEmoji := present(t, "emoji"); hasEmoji && typ == "mrkdwn" {
		c.fail(ptr+"/emoji", "emoji is not allowed in mrkdwn text")
	}
	c.boolean(t, "emoji", ptr)
	c.boolean(t, "verbatim", ptr)
}

// enum checks a string field against its allowed values and returns it.
func (c *checker) enum(obj map[string]any, key, ptr string, required bool, allowed ...string) string {
	s, ok := c.str(obj, key, ptr, required, 0, 0)
	if !ok {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	c.fail(ptr+"/"+key, "must be a valid enum value")
	return ""
}

// array checks an array field with an item count range and returns its items.
func (c *checker) array(obj map[string]any, key, ptr string, required bool, min, max int) ([]any, bool) {
	v, ok := present(obj, key)
	if !ok {
		if required {
			c.fail(ptr, "missing required field: %s", key)
		}
		return nil, false
	}
	return c.items(v, ptr+"/"+key, min, max)
}

func (c *checker) items(v any, ptr string, min, max int) ([]any, bool) {
	list, ok := v.([]any)
	if !ok {
		c.fail(ptr, "must provide an array")
		return nil, false
	}
	switch {
	case len(list) < min:
		c.fail(ptr, "must provide at least %d items", min)
	case max > 0 && len(list) > max:
		c.fail(ptr, "no more than %d items allowed", max)
	}
	return list, true
}

// integer checks an optional integer field within [min, max].
func (c *checker) integer(obj map[string]any, key, ptr string, min, max int64) (int64, bool) {
	v, ok := present(obj, key)
	if !ok {
		return 0, false
	}
	n, isNum := v.(json.Number)
	i, err := n.Int64()
	if !isNum || err != nil {
		c.fail(ptr+"/"+key, "must be an integer")
		return 0, false
	}
	switch {
	case i < min:
		c.fail(ptr+"/"+key, "must be at least %d", min)
	case i > max:
		c.fail(ptr+"/"+key, "must be at most %d", max)
	}
	return i, true
}

func (c *checker) boolean(obj map[string]any, key, ptr string) {
	if v, ok := present(obj, key); ok {
		if _, isBool := v.(bool); !isBool {
			c.fail(ptr+"/"+key, "must be a boolean")
		}
	}
}

// pattern checks an optional string field against a format such as YYYY-MM-DD.
func (c *checker) pattern(obj map[string]any, key, ptr string, re *regexp.Regexp) {
	if s, ok := c.str(obj, key, ptr, false, 0, 0); ok && !re.MatchString(s) {
		c.fail(ptr+"/"+key, "must match the format %s", re.String())
	}
}

// textChars sums the characters of every "text" string in a payload, the measure behind
// msg_blocks_too_long.
func textChars(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "text" {
				n += utf8.RuneCountInString(s)
			} else {
				n += textChars(val)
			}
		}
	case []any:
		for _, val := range x {
			n += textChars(val)
		}
	}
	return n
}

func decodeAny(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// trimLevel strips the "[ERROR] " prefix: Slack's errors array lists the same problems
// as response_metadata.messages without it.
func trimLevel(msg string) string { return strings.TrimPrefix(msg, "[ERROR] ") }
