package slackfake

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Modal stack and size limits from Slack's docs: "After a modal is opened, the app is
// limited to pushing 2 additional views"; a view over 250 kB is view_too_large.
const (
	maxStack    = 3
	maxViewSize = 250 * 1024
)

// View is a modal or Home tab the bot opened, pushed, updated or published.
type View struct {
	ID              string
	Type            string // "modal" or "home"
	CallbackID      string
	ExternalID      string
	PrivateMetadata string
	Title           string // title text; "" for Home tabs
	Hash            string // current hash; views.update/publish with another one get hash_conflict
	RootViewID      string
	PreviousViewID  string // the view below a pushed view, "" otherwise
	User            string // the Home tab's user, "" for modals
	Blocks          json.RawMessage
	JSON            json.RawMessage // the whole view object as the fake last returned it
	Open            bool            // a modal still on its stack; false once closed (and for Home tabs)
	Updates         int             // successful views.update / republish calls

	touched int64 // s.seq at the last change, for LastView
}

// Views returns every view ever opened, pushed or published, in creation order, each in
// its latest version.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.viewOrder))
	for _, id := range s.viewOrder {
		out = append(out, *s.views[id])
	}
	return out
}

// View returns the view with this id.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[id]
	if !ok {
		return View{}, false
	}
	return *v, true
}

// LastView returns the view with this callback_id that was opened, pushed or updated
// most recently.
func (s *Server) LastView(callbackID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var last *View
	for _, v := range s.views {
		if v.CallbackID == callbackID && (last == nil || v.touched > last.touched) {
			last = v
		}
	}
	if last == nil {
		return View{}, false
	}
	return *last, true
}

// HomeView returns the Home tab last published for a user.
func (s *Server) HomeView(userID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.homes[userID]
	if !ok {
		return View{}, false
	}
	return *s.views[id], true
}

// CloseView plays the user closing or submitting a modal: the view and any views pushed
// above it leave the stack, so views.update of them is not_found and views.push no
// longer lands there.
func (s *Server) CloseView(viewID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, stack := range s.stacks {
		if at := slices.Index(stack, viewID); at >= 0 {
			for _, id := range stack[at:] {
				s.views[id].Open = false
			}
			s.stacks[i] = stack[:at]
		}
	}
	s.stacks = slices.DeleteFunc(s.stacks, func(st []string) bool { return len(st) == 0 })
}

func (s *Server) viewsOpen(a args) any {
	obj, errResp := s.readView(a, "modal")
	if errResp != nil {
		return *errResp
	}
	t, code := s.checkTrigger(triggerArg(a))
	if code != "" {
		return errorf(code)
	}
	if s.externalIDTaken(obj, "") {
		return errorf("duplicate_external_id")
	}
	t.used = true
	v := s.storeView(obj, "", "")
	s.stacks = append(s.stacks, []string{v.ID})
	return map[string]any{"ok": true, "view": v.JSON}
}

func (s *Server) viewsPush(a args) any {
	obj, errResp := s.readView(a, "modal")
	if errResp != nil {
		return *errResp
	}
	t, code := s.checkTrigger(triggerArg(a))
	if code != "" {
		return errorf(code)
	}
	at := len(s.stacks) - 1
	if t.viewID != "" {
		at = slices.IndexFunc(s.stacks, func(st []string) bool { return slices.Contains(st, t.viewID) })
	}
	if at < 0 {
		return errorf("not_found")
	}
	if len(s.stacks[at]) >= maxStack {
		return errorf("push_limit_reached")
	}
	if s.externalIDTaken(obj, "") {
		return errorf("duplicate_external_id")
	}
	t.used = true
	stack := s.stacks[at]
	v := s.storeView(obj, stack[0], stack[len(stack)-1])
	s.stacks[at] = append(stack, v.ID)
	return map[string]any{"ok": true, "view": v.JSON}
}

func (s *Server) viewsUpdate(a args) any {
	id, ext := a.str("view_id"), a.str("external_id")
	if id == "" && ext == "" {
		return invalidArgs("[ERROR] either view_id or external_id is required")
	}
	var v *View
	for _, cand := range s.views {
		if (id != "" && cand.ID == id) || (id == "" && cand.ExternalID == ext) {
			v = cand
		}
	}
	if v == nil || (v.Type == "modal" && !v.Open) {
		return errorf("not_found")
	}
	obj, errResp := s.readView(a, v.Type)
	if errResp != nil {
		return *errResp
	}
	if h := a.str("hash"); h != "" && h != v.Hash {
		return errorf("hash_conflict")
	}
	if s.externalIDTaken(obj, v.ID) {
		return errorf("duplicate_external_id")
	}
	s.replaceView(v, obj)
	return map[string]any{"ok": true, "view": v.JSON}
}

func (s *Server) viewsPublish(a args) any {
	user := a.str("user_id")
	if user == "" {
		return invalidArgs("[ERROR] missing required field: user_id")
	}
	obj, errResp := s.readView(a, "home")
	if errResp != nil {
		return *errResp
	}
	id, ok := s.homes[user]
	if !ok {
		v := s.storeView(obj, "", "")
		v.User, v.Open = user, false
		s.homes[user] = v.ID
		return map[string]any{"ok": true, "view": v.JSON}
	}
	v := s.views[id]
	if h := a.str("hash"); h != "" && h != v.Hash {
		return errorf("hash_conflict")
	}
	if s.externalIDTaken(obj, v.ID) {
		return errorf("duplicate_external_id")
	}
	s.replaceView(v, obj)
	return map[string]any{"ok": true, "view": v.JSON}
}

// readView reads the view argument and checks it against Slack's limits and the type the
// method takes (views.open/push: modal, views.publish: home).
func (s *Server) readView(a args, wantType string) (map[string]any, *apiError) {
	raw, ok := a.raw("view")
	if !ok {
		e := invalidArgs("[ERROR] missing required field: view")
		return nil, &e
	}
	if len(raw) > maxViewSize {
		return nil, &apiError{Error: "view_too_large"}
	}
	if err := ValidateView(raw); err != nil {
		e := validationError(err)
		return nil, &e
	}
	obj := decodeObject(raw)
	if obj["type"] != wantType {
		e := invalidArgs("[ERROR] must be a valid enum value [json-pointer:/view/type]")
		return nil, &e
	}
	return obj, nil
}

// triggerArg is the trigger the call exchanges; interactivity_pointer is its newer name.
func triggerArg(a args) string {
	if t := a.str("trigger_id"); t != "" {
		return t
	}
	return a.str("interactivity_pointer")
}

// externalIDTaken reports whether another view than self already uses obj's
// external_id: Slack requires it unique across the team.
func (s *Server) externalIDTaken(obj map[string]any, self string) bool {
	ext, _ := obj["external_id"].(string)
	if ext == "" {
		return false
	}
	for _, v := range s.views {
		if v.ExternalID == ext && v.ID != self {
			return true
		}
	}
	return false
}

// storeView creates a view from a checked view object. Callers hold s.mu.
func (s *Server) storeView(obj map[string]any, root, previous string) *View {
	v := &View{ID: s.nextID("V"), RootViewID: root, PreviousViewID: previous}
	if v.RootViewID == "" {
		v.RootViewID = v.ID
	}
	v.Open = obj["type"] == "modal"
	s.views[v.ID] = v
	s.viewOrder = append(s.viewOrder, v.ID)
	s.fillView(v, obj)
	return v
}

// replaceView gives an existing view new content and a new hash. Callers hold s.mu.
func (s *Server) replaceView(v *View, obj map[string]any) {
	s.fillView(v, obj)
	v.Updates++
}

func (s *Server) fillView(v *View, obj map[string]any) {
	s.seq++
	v.touched = s.seq
	v.Hash = s.nextHash()
	v.Type, _ = obj["type"].(string)
	v.CallbackID, _ = obj["callback_id"].(string)
	v.ExternalID, _ = obj["external_id"].(string)
	v.PrivateMetadata, _ = obj["private_metadata"].(string)
	v.Title = ""
	if title, ok := obj["title"].(map[string]any); ok {
		v.Title, _ = title["text"].(string)
	}

	out := map[string]any{"title": nil, "close": nil, "submit": nil, "blocks": []any{},
		"private_metadata": "", "callback_id": "", "external_id": "",
		"clear_on_close": false, "notify_on_close": false}
	if v.Type == "home" {
		delete(out, "title")
		delete(out, "close")
		delete(out, "submit")
	}
	for k, val := range obj {
		out[k] = val
	}
	var previous any
	if v.PreviousViewID != "" {
		previous = v.PreviousViewID
	}
	out["id"], out["team_id"], out["hash"] = v.ID, TeamID, v.Hash
	out["state"] = map[string]any{"values": map[string]any{}}
	out["root_view_id"], out["previous_view_id"] = v.RootViewID, previous
	out["app_id"], out["bot_id"], out["app_installed_team_id"] = AppID, BotID, TeamID
	v.JSON, _ = json.Marshal(out)
	v.Blocks, _ = json.Marshal(out["blocks"])
}

// decodeObject decodes a JSON object that ValidateView already accepted, keeping
// numbers as they were written.
func decodeObject(raw json.RawMessage) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	_ = dec.Decode(&obj)
	return obj
}
