package bot

import (
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// form reads a submitted view's state by block id. Our inputs keep block_id = action_id,
// so one id finds a value whatever element type holds it (text, select, date).
type form map[string]map[string]slack.BlockAction

func viewForm(v slack.View) form {
	if v.State == nil {
		return form{}
	}
	return form(v.State.Values)
}

// value returns the text typed, the option, date, time or person picked in the block, trimmed;
// "" when the block is absent or was left empty.
func (f form) value(block string) string {
	a, ok := f[block][block]
	if !ok {
		for _, only := range f[block] { // tolerate an action_id other than the block's
			a, ok = only, true
		}
	}
	if !ok {
		return ""
	}
	switch {
	case a.Value != "":
		return strings.TrimSpace(a.Value)
	case a.SelectedOption.Value != "":
		return a.SelectedOption.Value
	case a.SelectedDate != "":
		return a.SelectedDate
	case a.SelectedTime != "":
		return a.SelectedTime
	case a.SelectedUser != "":
		return a.SelectedUser
	}
	return ""
}

// date parses a datepicker value as a calendar day in loc; ok is false when it is empty or
// malformed.
func (f form) date(block string, loc *time.Location) (time.Time, bool) {
	v := f.value(block)
	if v == "" {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	return d, err == nil
}
