package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"
)

// texter renders a catalog message in one locale; view builders take one so they stay pure
// functions of (data, locale).
type texter func(key string, args ...any) string

func (b *Bot) texter(locale string) texter {
	return func(key string, args ...any) string { return b.tr(locale, key, args...) }
}

// esc makes user-typed text safe inside mrkdwn: & < > become entities, so a customer named
// "<!channel>" pings nobody.
func esc(s string) string { return slackutilsx.EscapeMessage(s) }

// clip shortens s to at most n runes, marking the cut, so long user text never pushes a
// block past Slack's limits.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// oneLine folds newlines so a long note fits a list line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(s, 150), false, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip(s, 3000), false, false)
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

func button(actionID, label, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, clip(label, 75), false, false))
}

func option(value, label string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, slack.NewTextBlockObject(slack.PlainTextType, clip(label, 75), false, false), nil)
}

// input wraps element in an input block whose block_id equals the element's action_id,
// the contract our forms keep (DESIGN §2).
func input(id, label string, element slack.BlockElement, optional bool, hint string) *slack.InputBlock {
	var h *slack.TextBlockObject
	if hint != "" {
		h = slack.NewTextBlockObject(slack.PlainTextType, hint, false, false)
	}
	blk := slack.NewInputBlock(id, slack.NewTextBlockObject(slack.PlainTextType, label, false, false), h, element)
	blk.Optional = optional
	return blk
}

func textInput(id, placeholder string, multiline bool, maxLen int, initial string) *slack.PlainTextInputBlockElement {
	var ph *slack.TextBlockObject
	if placeholder != "" {
		ph = plain(placeholder)
	}
	el := slack.NewPlainTextInputBlockElement(ph, id)
	el.Multiline = multiline
	el.MaxLength = maxLen
	el.InitialValue = clip(initial, maxLen)
	return el
}

// response is the JSON a slash command or a response_url gets.
type response struct {
	ResponseType    string        `json:"response_type,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
}

func ephemeral(text string, blocks ...slack.Block) response {
	return response{ResponseType: slack.ResponseTypeEphemeral, Text: clip(text, 3000), Blocks: blocks}
}

// modal builds a modal view; submitKey is "" for a view that can only be closed.
func modal(t texter, callbackID, titleKey, submitKey, closeKey, metadata string, blocks ...slack.Block) slack.ModalViewRequest {
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		Title:           plain(clip(t(titleKey), 24)),
		Close:           plain(clip(t(closeKey), 24)),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
	if submitKey != "" {
		v.Submit = plain(clip(t(submitKey), 24))
	}
	return v
}
