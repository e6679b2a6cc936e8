package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
)

// This file plays Slack's part: it builds the payloads Slack would send for what the
// person on the page does, signs them and posts them to the bot.

// modalView is a modal as the page shows it: the view object the bot sent.
type modalView struct {
	ID      string         `json:"id"`
	Overlay bool           `json:"overlay"` // from a response_action push/update, not views.open
	Obj     map[string]any `json:"view"`
}

// post sends body to the bot at path, signed as Slack signs it.
func (s *Sandbox) post(ctx context.Context, botURL, path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(botURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	slackfake.SignRequest(req.Header, s.secret, time.Now(), body)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, out, err
}

// interact posts an interactivity payload as Slack does: a form with one payload field.
func (s *Sandbox) interact(ctx context.Context, botURL, path string, payload any) (int, []byte, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return 0, nil, err
	}
	form := url.Values{"payload": {string(raw)}}
	return s.post(ctx, botURL, path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// acting records who is acting now: modals the bot opens from here on are theirs.
func (s *Sandbox) acting(user string) {
	s.syncViews()
	s.mu.Lock()
	s.lastActor = user
	s.mu.Unlock()
}

// syncViews gives every view not seen before to the user who acted last.
func (s *Sandbox) syncViews() {
	views := s.fake.Views()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range views {
		if _, ok := s.viewOwner[v.ID]; !ok {
			s.viewOwner[v.ID] = s.lastActor
		}
	}
}

func (s *Sandbox) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

// responseURL issues a response_url for user; replace_original there replaces target.
func (s *Sandbox) responseURL(user, target string) string {
	u := s.fake.ResponseURL()
	s.mu.Lock()
	if s.seeding {
		user = "" // the demo data's confirmations are nobody's replies
	}
	s.urls[u] = urlInfo{user: user, target: target}
	s.mu.Unlock()
	return u
}

func userObj(user string) map[string]any {
	return map[string]any{"id": user, "username": userName(user), "name": userName(user), "team_id": slackfake.TeamID}
}

func teamObj() map[string]any { return map[string]any{"id": slackfake.TeamID, "domain": "sandbox"} }

// CommandResult is what running a slash command gave.
type CommandResult struct {
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response,omitempty"` // the bot's immediate answer, if any
	Modal    *modalView      `json:"modal,omitempty"`    // the modal the command opened, if any
}

// Command runs `/followup text` as user.
func (s *Sandbox) Command(ctx context.Context, botURL, user, text string) (CommandResult, error) {
	s.acting(user)
	before := s.fake.Views()
	respURL := s.responseURL(user, "")
	form := url.Values{
		"token": {"sandbox"}, "team_id": {slackfake.TeamID}, "team_domain": {"sandbox"},
		"channel_id": {channelID}, "channel_name": {"sandbox"}, "user_id": {user}, "user_name": {userName(user)},
		"command": {"/followup"}, "text": {text}, "api_app_id": {slackfake.AppID},
		"is_enterprise_install": {"false"}, "response_url": {respURL}, "trigger_id": {s.fake.NewTriggerID()},
	}
	status, body, err := s.post(ctx, botURL, "/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()))
	if err != nil {
		return CommandResult{}, err
	}
	res := CommandResult{Status: status}
	if status == http.StatusOK && len(bytes.TrimSpace(body)) > 0 {
		res.Response = json.RawMessage(body)
		var msg struct {
			Text   string          `json:"text"`
			Blocks json.RawMessage `json:"blocks"`
		}
		if json.Unmarshal(body, &msg) == nil && (msg.Text != "" || len(msg.Blocks) > 0) {
			r := &reply{ID: s.nextID("R"), At: time.Now(), Text: msg.Text, Source: "command"}
			if len(msg.Blocks) > 0 {
				r.Blocks = msg.Blocks
			}
			s.mu.Lock()
			if !s.seeding {
				s.replies[user] = append(s.replies[user], r)
				s.urls[respURL] = urlInfo{user: user, target: r.ID}
			}
			s.mu.Unlock()
		}
	} else if status != http.StatusOK {
		res.Response, _ = json.Marshal(map[string]any{"error": strings.TrimSpace(string(body))})
	}
	// A modal or a response_url post may follow the acknowledgement; wait briefly so that
	// the answer can carry the modal.
	if len(res.Response) == 0 {
		deadline := time.Now().Add(1500 * time.Millisecond)
		for time.Now().Before(deadline) && len(s.fake.Views()) == len(before) && len(s.fake.Responses(respURL)) == 0 {
			time.Sleep(25 * time.Millisecond)
		}
	}
	res.Modal = s.currentModal(user)
	return res, nil
}

// currentModal is the top modal of user's stack, nil when none is open.
func (s *Sandbox) currentModal(user string) *modalView {
	s.syncViews()
	s.mu.Lock()
	if ov := s.overlays[user]; len(ov) > 0 {
		top := ov[len(ov)-1]
		s.mu.Unlock()
		return top
	}
	owners := make(map[string]string, len(s.viewOwner))
	for k, v := range s.viewOwner {
		owners[k] = v
	}
	s.mu.Unlock()
	views := s.fake.Views()
	for i := len(views) - 1; i >= 0; i-- {
		v := views[i]
		if v.Type != "modal" || !v.Open || owners[v.ID] != user {
			continue
		}
		var obj map[string]any
		if json.Unmarshal(v.JSON, &obj) != nil {
			continue
		}
		return &modalView{ID: v.ID, Obj: obj}
	}
	return nil
}

// findModal finds one of user's modals by id.
func (s *Sandbox) findModal(user, viewID string) (*modalView, error) {
	s.mu.Lock()
	for _, ov := range s.overlays[user] {
		if ov.ID == viewID {
			s.mu.Unlock()
			return ov, nil
		}
	}
	s.mu.Unlock()
	v, ok := s.fake.View(viewID)
	if !ok || v.Type != "modal" {
		return nil, fmt.Errorf("no modal %q", viewID)
	}
	var obj map[string]any
	if err := json.Unmarshal(v.JSON, &obj); err != nil {
		return nil, err
	}
	return &modalView{ID: v.ID, Obj: obj}, nil
}

// elementOf returns the interactive element of the block with blockID ("" when none).
func elementOf(view map[string]any, blockID string) map[string]any {
	blocks, _ := view["blocks"].([]any)
	for _, b := range blocks {
		blk, _ := b.(map[string]any)
		if blk == nil || blk["block_id"] != blockID {
			continue
		}
		if el, ok := blk["element"].(map[string]any); ok {
			return el
		}
		if el, ok := blk["accessory"].(map[string]any); ok {
			return el
		}
		if els, ok := blk["elements"].([]any); ok && len(els) > 0 {
			el, _ := els[0].(map[string]any)
			return el
		}
	}
	return nil
}

// stateValues builds view.state.values, keyed block_id → action_id, from values keyed
// by block_id (each an element state such as {"type":"plain_text_input","value":"x"}).
func stateValues(view map[string]any, values map[string]map[string]any) map[string]any {
	out := map[string]any{}
	for blockID, val := range values {
		actionID := blockID
		if el := elementOf(view, blockID); el != nil {
			if id, ok := el["action_id"].(string); ok && id != "" {
				actionID = id
			}
			if _, ok := val["type"]; !ok {
				val["type"] = el["type"]
			}
		}
		out[blockID] = map[string]any{actionID: val}
	}
	return out
}

// viewPayload is the view as Slack puts it in a payload: the bot's view with its state.
func viewPayload(m *modalView, values map[string]map[string]any) map[string]any {
	view := make(map[string]any, len(m.Obj)+4)
	for k, v := range m.Obj {
		view[k] = v
	}
	view["id"] = m.ID
	view["type"] = "modal"
	view["team_id"], view["app_id"], view["bot_id"] = slackfake.TeamID, slackfake.AppID, slackfake.BotID
	if _, ok := view["root_view_id"]; !ok {
		view["root_view_id"] = m.ID
	}
	view["state"] = map[string]any{"values": stateValues(m.Obj, values)}
	return view
}

// SubmitResult is the bot's answer to a view_submission.
type SubmitResult struct {
	Status         int               `json:"status"`
	ResponseAction string            `json:"response_action,omitempty"`
	Errors         map[string]string `json:"errors,omitempty"`
	Modal          *modalView        `json:"modal,omitempty"` // the modal now on top, nil when closed
}

// Submit submits user's modal viewID with values keyed by block_id.
func (s *Sandbox) Submit(ctx context.Context, botURL, user, viewID string, values map[string]map[string]any) (SubmitResult, error) {
	s.acting(user)
	m, err := s.findModal(user, viewID)
	if err != nil {
		return SubmitResult{}, err
	}
	trigger := s.fake.NewTriggerID()
	if !m.Overlay {
		trigger = s.fake.NewViewTriggerID(m.ID)
	}
	payload := map[string]any{
		"type": "view_submission", "team": teamObj(), "user": userObj(user), "api_app_id": slackfake.AppID,
		"token": "sandbox", "trigger_id": trigger, "view": viewPayload(m, values),
		"response_urls": []any{}, "is_enterprise_install": false,
	}
	status, body, err := s.interact(ctx, botURL, "/slack/interactions", payload)
	if err != nil {
		return SubmitResult{}, err
	}
	res := SubmitResult{Status: status}
	if status != http.StatusOK {
		return res, fmt.Errorf("bot answered %d: %s", status, strings.TrimSpace(string(body)))
	}
	var ans struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           map[string]any    `json:"view"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &ans); err != nil {
			return res, fmt.Errorf("bot answered %q: %w", body, err)
		}
	}
	res.ResponseAction, res.Errors = ans.ResponseAction, ans.Errors
	switch ans.ResponseAction {
	case "errors":
	case "push", "update":
		next := &modalView{ID: s.nextID("V0SBX"), Overlay: true, Obj: ans.View}
		s.mu.Lock()
		ov := s.overlays[user]
		if ans.ResponseAction == "update" && m.Overlay && len(ov) > 0 {
			ov = ov[:len(ov)-1]
		}
		s.overlays[user] = append(ov, next)
		s.mu.Unlock()
	case "clear":
		s.closeAll(user)
	default: // closed: this view leaves the stack
		s.closeOne(user, m)
	}
	res.Modal = s.currentModal(user)
	return res, nil
}

func (s *Sandbox) closeOne(user string, m *modalView) {
	if m.Overlay {
		s.mu.Lock()
		ov := s.overlays[user]
		if i := slices.IndexFunc(ov, func(v *modalView) bool { return v.ID == m.ID }); i >= 0 {
			s.overlays[user] = ov[:i]
		}
		left := len(s.overlays[user])
		s.mu.Unlock()
		if left > 0 {
			return
		}
		// an overlay stands for the views under it too: they went with it
	}
	s.closeAll(user)
	if !m.Overlay {
		s.fake.CloseView(m.ID)
	}
}

// closeAll closes every modal of user's.
func (s *Sandbox) closeAll(user string) {
	s.syncViews()
	s.mu.Lock()
	delete(s.overlays, user)
	var ids []string
	for id, owner := range s.viewOwner {
		if owner == user {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	for _, id := range ids {
		if v, ok := s.fake.View(id); ok && v.Type == "modal" && v.Open {
			s.fake.CloseView(id)
		}
	}
}

// CloseModal plays the user closing the modal with its Close button.
func (s *Sandbox) CloseModal(ctx context.Context, botURL, user, viewID string) error {
	m, err := s.findModal(user, viewID)
	if err != nil {
		return err
	}
	if notify, _ := m.Obj["notify_on_close"].(bool); notify {
		payload := map[string]any{"type": "view_closed", "team": teamObj(), "user": userObj(user),
			"api_app_id": slackfake.AppID, "view": viewPayload(m, nil), "is_cleared": false}
		if _, _, err := s.interact(ctx, botURL, "/slack/interactions", payload); err != nil {
			return err
		}
	}
	s.closeAll(user)
	return nil
}

// Options asks the bot for an external_select's options, as Slack's typeahead does.
func (s *Sandbox) Options(ctx context.Context, botURL, user, viewID, blockID, actionID, value string) (json.RawMessage, error) {
	payload := map[string]any{
		"type": "block_suggestion", "user": userObj(user), "team": teamObj(), "api_app_id": slackfake.AppID,
		"token": "sandbox", "action_id": actionID, "block_id": blockID, "value": value, "action_ts": actionTS(),
		"container": map[string]any{"type": "view", "view_id": viewID},
	}
	if m, err := s.findModal(user, viewID); err == nil {
		payload["view"] = viewPayload(m, nil)
	} else if home, ok := s.fake.HomeView(user); ok && home.ID == viewID {
		payload["view"] = map[string]any{"id": home.ID, "type": "home"}
	}
	status, body, err := s.interact(ctx, botURL, "/slack/options", payload)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("bot answered %d: %s", status, strings.TrimSpace(string(body)))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return json.RawMessage(`{"options":[]}`), nil
	}
	return json.RawMessage(body), nil
}

func actionTS() string {
	now := time.Now()
	return fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
}

// ActionRequest is a press or pick on a message, a modal or the Home tab.
type ActionRequest struct {
	User    string `json:"user"`
	Surface string `json:"surface"` // "message" (DM), "reply" (ephemeral reply), "modal" or "home"
	Channel string `json:"channel,omitempty"`
	TS      string `json:"ts,omitempty"`
	ReplyID string `json:"reply_id,omitempty"`
	ViewID  string `json:"view_id,omitempty"`
	// Action is the element's report: action_id, block_id, type and value,
	// selected_option, selected_date, selected_user(s)...
	Action map[string]any `json:"action"`
	// Values are the modal's current inputs, keyed by block_id, for view.state.
	Values map[string]map[string]any `json:"values,omitempty"`
}

// Action delivers a block_actions payload for req.
func (s *Sandbox) Action(ctx context.Context, botURL string, req ActionRequest) (int, error) {
	s.acting(req.User)
	if req.Action == nil {
		return 0, errors.New("no action")
	}
	req.Action["action_ts"] = actionTS()
	payload := map[string]any{
		"type": "block_actions", "user": userObj(req.User), "team": teamObj(), "api_app_id": slackfake.AppID,
		"token": "sandbox", "trigger_id": s.fake.NewTriggerID(), "actions": []any{req.Action},
		"is_enterprise_install": false,
	}
	switch req.Surface {
	case "message", "reply":
		var msg map[string]any
		ephemeral := req.Surface == "reply"
		target := ""
		if ephemeral {
			target = req.ReplyID
			if r := s.findReply(req.User, req.ReplyID); r != nil {
				msg = map[string]any{"type": "message", "ts": req.TS, "text": r.Text, "blocks": r.Blocks}
			}
		} else {
			for _, m := range s.fake.Messages(req.Channel) {
				if m.TS == req.TS {
					var blocks any
					_ = json.Unmarshal(m.Blocks, &blocks)
					msg = map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "blocks": blocks,
						"user": slackfake.BotUserID, "bot_id": slackfake.BotID}
					if m.ThreadTS != "" {
						msg["thread_ts"] = m.ThreadTS
					}
					ephemeral = m.Ephemeral
				}
			}
			if msg == nil {
				return 0, fmt.Errorf("no message %s in %s", req.TS, req.Channel)
			}
		}
		ch := req.Channel
		if ch == "" {
			ch = channelID
		}
		ts := req.TS
		if ts == "" {
			ts = actionTS()
		}
		payload["container"] = map[string]any{"type": "message", "message_ts": ts, "channel_id": ch, "is_ephemeral": ephemeral}
		payload["channel"] = map[string]any{"id": ch}
		if msg != nil {
			payload["message"] = msg
		}
		payload["response_url"] = s.responseURL(req.User, target)
	case "modal":
		m, err := s.findModal(req.User, req.ViewID)
		if err != nil {
			return 0, err
		}
		if !m.Overlay {
			payload["trigger_id"] = s.fake.NewViewTriggerID(m.ID)
		}
		payload["container"] = map[string]any{"type": "view", "view_id": m.ID}
		payload["view"] = viewPayload(m, req.Values)
	case "home":
		home, ok := s.fake.HomeView(req.User)
		if !ok {
			return 0, errors.New("no Home tab published")
		}
		var obj map[string]any
		_ = json.Unmarshal(home.JSON, &obj)
		obj["state"] = map[string]any{"values": map[string]any{}}
		payload["container"] = map[string]any{"type": "view", "view_id": home.ID}
		payload["view"] = obj
	default:
		return 0, fmt.Errorf("unknown surface %q", req.Surface)
	}
	status, body, err := s.interact(ctx, botURL, "/slack/interactions", payload)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("bot answered %d: %s", status, strings.TrimSpace(string(body)))
	}
	return status, err
}

func (s *Sandbox) findReply(user, id string) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.replies[user] {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// event posts an Events API callback.
func (s *Sandbox) event(ctx context.Context, botURL string, ev map[string]any) error {
	body, err := json.Marshal(map[string]any{
		"token": "sandbox", "team_id": slackfake.TeamID, "api_app_id": slackfake.AppID, "type": "event_callback",
		"event_id": s.nextID("Ev0SB"), "event_time": time.Now().Unix(), "event": ev,
		"authorizations": []any{map[string]any{"team_id": slackfake.TeamID, "user_id": slackfake.BotUserID, "is_bot": true}},
	})
	if err != nil {
		return err
	}
	status, out, err := s.post(ctx, botURL, "/slack/events", "application/json", body)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("bot answered %d: %s", status, strings.TrimSpace(string(out)))
	}
	return err
}

// OpenHome plays the user opening the app's Home tab (app_home_opened).
func (s *Sandbox) OpenHome(ctx context.Context, botURL, user string) error {
	s.acting(user)
	ch, err := s.dmChannel(ctx, user)
	if err != nil {
		return err
	}
	ev := map[string]any{"type": "app_home_opened", "user": user, "channel": ch, "tab": "home", "event_ts": actionTS()}
	if home, ok := s.fake.HomeView(user); ok {
		var obj map[string]any
		if json.Unmarshal(home.JSON, &obj) == nil {
			ev["view"] = obj
		}
	}
	return s.event(ctx, botURL, ev)
}

// SayToBot delivers a DM from user to the bot (message.im).
func (s *Sandbox) SayToBot(ctx context.Context, botURL, user, text string) error {
	s.acting(user)
	ch, err := s.dmChannel(ctx, user)
	if err != nil {
		return err
	}
	ts := actionTS()
	s.mu.Lock()
	s.said[user] = append(s.said[user], said{TS: ts, Text: text})
	s.mu.Unlock()
	return s.event(ctx, botURL, map[string]any{"type": "message", "channel": ch, "channel_type": "im",
		"user": user, "text": text, "ts": ts, "event_ts": ts, "team": slackfake.TeamID})
}

// syncReplies applies response_url posts not seen before to the replies they belong to.
func (s *Sandbox) syncReplies() {
	all := s.fake.AllResponses()
	s.mu.Lock()
	defer s.mu.Unlock()
	for ; s.seenResp < len(all); s.seenResp++ {
		r := all[s.seenResp]
		info, ok := s.urls[r.URL]
		if !ok || info.user == "" {
			continue
		}
		list := s.replies[info.user]
		i := slices.IndexFunc(list, func(x *reply) bool { return info.target != "" && x.ID == info.target })
		switch {
		case r.DeleteOriginal && i >= 0:
			s.replies[info.user] = slices.Delete(list, i, i+1)
		case r.ReplaceOriginal && i >= 0:
			list[i].Text, list[i].Blocks, list[i].At = r.Text, nil, r.At
			if len(r.Blocks) > 0 {
				list[i].Blocks = r.Blocks
			}
		case r.DeleteOriginal:
		default:
			n := &reply{ID: fmt.Sprintf("R%06d", s.seq+1), At: r.At, Text: r.Text, Source: "response_url"}
			s.seq++
			if len(r.Blocks) > 0 {
				n.Blocks = r.Blocks
			}
			s.replies[info.user] = append(list, n)
			if info.target == "" {
				s.urls[r.URL] = urlInfo{user: info.user, target: n.ID}
			}
		}
	}
}

// DM is one message in a user's DM with the bot.
type DM struct {
	TS        string `json:"ts"`
	Channel   string `json:"channel"`
	From      string `json:"from"` // "bot" or the user's id
	Text      string `json:"text"`
	Blocks    any    `json:"blocks,omitempty"`
	ThreadTS  string `json:"thread_ts,omitempty"`
	Ephemeral bool   `json:"ephemeral,omitempty"`
	Edited    bool   `json:"edited,omitempty"`
}

// State is everything the page shows for one user.
type State struct {
	User     string     `json:"user"`
	Modal    *modalView `json:"modal"`
	Messages []DM       `json:"messages"`
	Replies  []*reply   `json:"replies"`
	Home     any        `json:"home"` // the Home tab's view object, nil before it is published
	HomeID   string     `json:"home_id,omitempty"`
}

// StateOf collects what user sees.
func (s *Sandbox) StateOf(ctx context.Context, user string) (State, error) {
	st := State{User: user, Messages: []DM{}, Replies: []*reply{}}
	st.Modal = s.currentModal(user)
	ch, err := s.dmChannel(ctx, user)
	if err != nil {
		return st, err
	}
	for _, m := range s.fake.Messages(ch) {
		if m.Ephemeral && m.User != user {
			continue
		}
		d := DM{TS: m.TS, Channel: ch, From: "bot", Text: m.Text, ThreadTS: m.ThreadTS, Ephemeral: m.Ephemeral, Edited: m.Edits > 0}
		if len(m.Blocks) > 0 {
			d.Blocks = m.Blocks
		}
		st.Messages = append(st.Messages, d)
	}
	s.syncReplies()
	s.mu.Lock()
	for _, m := range s.said[user] {
		st.Messages = append(st.Messages, DM{TS: m.TS, Channel: ch, From: user, Text: m.Text})
	}
	for _, r := range s.replies[user] {
		c := *r
		st.Replies = append(st.Replies, &c)
	}
	s.mu.Unlock()
	for _, m := range s.fake.Messages(channelID) {
		if m.Ephemeral && m.User == user {
			r := &reply{ID: "M" + m.TS, At: tsTime(m.TS), Text: m.Text, Source: "chat.postEphemeral"}
			if len(m.Blocks) > 0 {
				r.Blocks = m.Blocks
			}
			st.Replies = append(st.Replies, r)
		}
	}
	sort.SliceStable(st.Messages, func(i, j int) bool { return tsFloat(st.Messages[i].TS) < tsFloat(st.Messages[j].TS) })
	sort.SliceStable(st.Replies, func(i, j int) bool { return st.Replies[i].At.Before(st.Replies[j].At) })
	if home, ok := s.fake.HomeView(user); ok {
		var obj map[string]any
		if json.Unmarshal(home.JSON, &obj) == nil {
			st.Home, st.HomeID = obj, home.ID
		}
	}
	return st, nil
}

func tsFloat(ts string) float64 {
	f, _ := strconv.ParseFloat(ts, 64)
	return f
}

func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	n, _ := strconv.ParseInt(sec, 10, 64)
	us, _ := strconv.ParseInt(frac, 10, 64)
	return time.Unix(n, us*1000)
}
