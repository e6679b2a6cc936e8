package slackfake

import (
	"fmt"
	"regexp"
	"slices"
)

var (
	datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timePattern = regexp.MustCompile(`^\d{2}:\d{2}$`)
)

// Element types allowed in each place, from Block Kit's reference.
var (
	selectTypes = []string{"static_select", "external_select", "users_select",
		"conversations_select", "channels_select", "multi_static_select",
		"multi_external_select", "multi_users_select", "multi_conversations_select",
		"multi_channels_select"}
	accessoryTypes = append([]string{"button", "checkboxes", "datepicker", "image",
		"overflow", "radio_buttons", "timepicker", "workflow_button"}, selectTypes...)
	actionsTypes = append([]string{"button", "checkboxes", "datepicker", "datetimepicker",
		"overflow", "plain_text_input", "radio_buttons", "rich_text_input", "timepicker",
		"workflow_button", "feedback_buttons", "icon_button"}, selectTypes...)
	inputTypes = append([]string{"checkboxes", "datepicker", "datetimepicker",
		"email_text_input", "file_input", "number_input", "plain_text_input",
		"radio_buttons", "rich_text_input", "timepicker", "url_text_input"}, selectTypes...)
	// uncheckedBlocks are blocks the bot does not use: accepted with only the common
	// checks, so the fake does not refuse what Slack takes.
	uncheckedBlocks = []string{"rich_text", "table", "context_actions", "call", "data_table",
		"data_visualization", "task_card", "plan", "alert", "card", "carousel",
		"auth_provider", "container", "layout"}
)

// blocks checks a blocks array and reports whether it holds an input block.
func (c *checker) blocks(v any, ptr string) (hasInput bool) {
	limit := maxViewBlocks
	if c.surface == SurfaceMessage {
		limit = maxMessageBlocks
	}
	list, ok := c.items(v, ptr, 0, limit)
	if !ok {
		return false
	}
	blockIDs := map[string]bool{}
	for i, item := range list {
		p := fmt.Sprintf("%s/%d", ptr, i)
		b, ok := c.object(item, p)
		if !ok {
			continue
		}
		if id, ok := c.str(b, "block_id", p, false, 0, 255); ok {
			if blockIDs[id] {
				c.fail(p+"/block_id", "duplicate block_id")
			}
			blockIDs[id] = true
		}
		if c.block(b, p) == "input" {
			hasInput = true
		}
	}
	return hasInput
}

// block checks one block and returns its type.
func (c *checker) block(b map[string]any, ptr string) string {
	typ, ok := c.str(b, "type", ptr, true, 0, 0)
	if !ok {
		return ""
	}
	switch typ {
	case "section":
		c.section(b, ptr)
	case "divider":
	case "header":
		c.text(b, "text", ptr, true, true, 150)
	case "context":
		if els, ok := c.array(b, "elements", ptr, true, 1, 10); ok {
			for i, el := range els {
				c.contextElement(el, fmt.Sprintf("%s/elements/%d", ptr, i))
			}
		}
	case "actions":
		if els, ok := c.array(b, "elements", ptr, true, 1, 25); ok {
			actionIDs := map[string]bool{}
			for i, el := range els {
				p := fmt.Sprintf("%s/elements/%d", ptr, i)
				if id := c.element(el, p, actionsTypes); id != "" {
					if actionIDs[id] {
						c.fail(p+"/action_id", "duplicate action_id")
					}
					actionIDs[id] = true
				}
			}
		}
	case "input":
		c.text(b, "label", ptr, true, true, 2000)
		c.text(b, "hint", ptr, false, true, 2000)
		c.boolean(b, "optional", ptr)
		c.boolean(b, "dispatch_action", ptr)
		if el, ok := present(b, "element"); ok {
			c.element(el, ptr+"/element", inputTypes)
		} else {
			c.fail(ptr, "missing required field: element")
		}
	case "image":
		c.image(b, ptr)
		c.text(b, "title", ptr, false, true, 2000)
	case "video":
		c.str(b, "alt_text", ptr, true, 1, 0)
		c.text(b, "title", ptr, true, true, 200)
		c.str(b, "video_url", ptr, true, 1, 0)
		c.str(b, "thumbnail_url", ptr, true, 1, 0)
	case "markdown", "file":
		if c.surface != SurfaceMessage {
			c.fail(ptr+"/type", "must be a valid enum value")
		} else if typ == "markdown" {
			c.str(b, "text", ptr, true, 1, 12000)
		} else {
			c.str(b, "external_id", ptr, true, 1, 0)
			c.str(b, "source", ptr, true, 1, 0)
		}
	default:
		if !slices.Contains(uncheckedBlocks, typ) {
			c.fail(ptr+"/type", "must be a valid enum value")
		}
	}
	return typ
}

func (c *checker) section(b map[string]any, ptr string) {
	_, hasText := present(b, "text")
	c.text(b, "text", ptr, false, false, 3000)
	fields, hasFields := c.array(b, "fields", ptr, false, 1, 10)
	for i, f := range fields {
		c.textObject(f, fmt.Sprintf("%s/fields/%d", ptr, i), false, 2000)
	}
	if !hasText && !hasFields {
		c.fail(ptr, "missing required field: text")
	}
	if acc, ok := present(b, "accessory"); ok {
		c.element(acc, ptr+"/accessory", accessoryTypes)
	}
}

func (c *checker) contextElement(v any, ptr string) {
	el, ok := c.object(v, ptr)
	if !ok {
		return
	}
	if el["type"] == "image" {
		c.image(el, ptr)
		return
	}
	c.textObject(el, ptr, false, 3000)
}

// image checks what image blocks and image elements share: alt text and exactly one
// source.
func (c *checker) image(el map[string]any, ptr string) {
	c.str(el, "alt_text", ptr, true, 1, 2000)
	_, hasURL := c.str(el, "image_url", ptr, false, 1, 3000)
	if _, hasFile := present(el, "slack_file"); !hasURL && !hasFile {
		c.fail(ptr, "missing required field: image_url")
	}
}

// element checks an element allowed in this place and returns its action_id.
func (c *checker) element(v any, ptr string, allowed []string) string {
	el, ok := c.object(v, ptr)
	if !ok {
		return ""
	}
	typ := c.enum(el, "type", ptr, true, allowed...)
	actionID, _ := c.str(el, "action_id", ptr, false, 0, 255)
	if conf, ok := present(el, "confirm"); ok {
		c.confirm(conf, ptr+"/confirm")
	}
	c.text(el, "placeholder", ptr, false, true, 150)
	switch typ {
	case "button", "workflow_button":
		c.text(el, "text", ptr, true, true, 75)
		c.str(el, "value", ptr, false, 0, 2000)
		c.str(el, "url", ptr, false, 0, 3000)
		c.str(el, "accessibility_label", ptr, false, 0, 75)
		if _, ok := present(el, "style"); ok {
			c.enum(el, "style", ptr, false, "primary", "danger")
		}
	case "static_select", "multi_static_select":
		_, hasOptions := c.options(el, "options", ptr, false, 100, true)
		groups, hasGroups := c.array(el, "option_groups", ptr, false, 1, 100)
		for i, g := range groups {
			c.optionGroup(g, fmt.Sprintf("%s/option_groups/%d", ptr, i))
		}
		if hasOptions == hasGroups {
			c.fail(ptr, "must provide exactly one of options and option_groups")
		}
		c.initialOptions(el, ptr, true)
	case "external_select", "multi_external_select":
		c.integer(el, "min_query_length", ptr, 0, 1<<31)
		c.initialOptions(el, ptr, true)
	case "overflow":
		c.options(el, "options", ptr, true, 5, true)
	case "checkboxes", "radio_buttons":
		c.options(el, "options", ptr, true, 10, false)
		c.initialOptions(el, ptr, false)
	case "datepicker":
		c.pattern(el, "initial_date", ptr, datePattern)
	case "timepicker":
		c.pattern(el, "initial_time", ptr, timePattern)
	case "plain_text_input":
		minLen, hasMin := c.integer(el, "min_length", ptr, 0, 3000)
		maxLen, hasMax := c.integer(el, "max_length", ptr, 1, 3000)
		if hasMin && hasMax && minLen > maxLen {
			c.fail(ptr+"/min_length", "must not be more than max_length")
		}
		c.str(el, "initial_value", ptr, false, 0, 3000)
		c.boolean(el, "multiline", ptr)
	case "image":
		c.image(el, ptr)
	}
	if typ == "multi_static_select" || typ == "multi_external_select" || typ == "multi_users_select" ||
		typ == "multi_conversations_select" || typ == "multi_channels_select" {
		c.integer(el, "max_selected_items", ptr, 1, 1<<31)
	}
	return actionID
}

// options checks an options array; select options take plain_text only, checkboxes and
// radio buttons take mrkdwn too.
func (c *checker) options(el map[string]any, key, ptr string, required bool, max int, plainOnly bool) ([]any, bool) {
	list, ok := c.array(el, key, ptr, required, 1, max)
	for i, o := range list {
		c.option(o, fmt.Sprintf("%s/%s/%d", ptr, key, i), plainOnly)
	}
	return list, ok
}

func (c *checker) option(v any, ptr string, plainOnly bool) {
	o, ok := c.object(v, ptr)
	if !ok {
		return
	}
	c.text(o, "text", ptr, true, plainOnly, 75)
	c.str(o, "value", ptr, true, 0, 150)
	c.text(o, "description", ptr, false, plainOnly, 75)
	c.str(o, "url", ptr, false, 0, 3000)
}

func (c *checker) optionGroup(v any, ptr string) {
	g, ok := c.object(v, ptr)
	if !ok {
		return
	}
	c.text(g, "label", ptr, true, true, 75)
	c.options(g, "options", ptr, true, 100, true)
}

func (c *checker) initialOptions(el map[string]any, ptr string, plainOnly bool) {
	if o, ok := present(el, "initial_option"); ok {
		c.option(o, ptr+"/initial_option", plainOnly)
	}
	list, _ := c.array(el, "initial_options", ptr, false, 0, 0)
	for i, o := range list {
		c.option(o, fmt.Sprintf("%s/initial_options/%d", ptr, i), plainOnly)
	}
}

// confirm checks a confirmation dialog: title ≤100, text ≤300, buttons ≤30.
func (c *checker) confirm(v any, ptr string) {
	conf, ok := c.object(v, ptr)
	if !ok {
		return
	}
	c.text(conf, "title", ptr, true, true, 100)
	c.text(conf, "text", ptr, true, false, 300)
	c.text(conf, "confirm", ptr, true, true, 30)
	c.text(conf, "deny", ptr, true, true, 30)
	if _, ok := present(conf, "style"); ok {
		c.enum(conf, "style", ptr, false, "primary", "danger")
	}
}
