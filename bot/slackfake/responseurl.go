package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// response_url limits from Slack's docs: "These responses can be sent up to 5 times
// within 30 minutes of receiving the payload."
const (
	responseURLUses = 5
	responseURLTTL  = 30 * time.Minute
)

const responsePathPrefix = "/actions/"

// Response is one message the bot sent to a response_url.
type Response struct {
	URL             string
	Body            json.RawMessage // the JSON as sent
	Text            string
	Blocks          json.RawMessage // nil when none
	ResponseType    string          // "ephemeral" (Slack's default when empty) or "in_channel"
	ReplaceOriginal bool            // Slack's docs send "true", slack-go sends true; both count
	DeleteOriginal  bool
	ThreadTS        string
	At              time.Time
}

type responseURL struct {
	issued time.Time
	uses   int
}

// ResponseURL issues a response_url on the fake's own host, to put into the payloads the
// test sends the bot. It takes 5 POSTs within 30 min (fake clock); then it answers 404,
// used_url or expired_url.
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	path := fmt.Sprintf("%s%s/%d/%s", responsePathPrefix, TeamID, 10000000000+s.seq, randomHex(12))
	s.responses[path] = &responseURL{issued: s.now()}
	return s.srv.URL + path
}

// Responses returns what was accepted at one response URL, oldest first.
func (s *Server) Responses(url string) []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Response
	for _, r := range s.replies {
		if r.URL == url {
			out = append(out, r)
		}
	}
	return out
}

// AllResponses returns what was accepted at any response URL, oldest first.
func (s *Server) AllResponses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Response(nil), s.replies...)
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := newCall(MethodResponseURL, r, args{}, body, s.now())
	c.Status, c.Error = s.acceptResponse(w, r, body)
	s.record(c)
}

func (s *Server) acceptResponse(w http.ResponseWriter, r *http.Request, body []byte) (int, string) {
	ru, ok := s.responses[r.URL.Path]
	switch {
	case r.Method != http.MethodPost:
		return writeJSON(w, http.StatusMethodNotAllowed, errorf("invalid_method"))
	case !ok:
		return writeJSON(w, http.StatusNotFound, errorf("invalid_url"))
	case s.now().Sub(ru.issued) > responseURLTTL:
		return writeJSON(w, http.StatusNotFound, errorf("expired_url"))
	case ru.uses >= responseURLUses:
		return writeJSON(w, http.StatusNotFound, errorf("used_url"))
	}
	var msg map[string]json.RawMessage
	if json.Unmarshal(body, &msg) != nil || msg == nil {
		return writeJSON(w, http.StatusBadRequest, errorf("invalid_payload"))
	}
	a := args{json: msg}
	resp := Response{URL: s.srv.URL + r.URL.Path, Body: compact(body), Text: a.str("text"),
		ResponseType: a.str("response_type"), ReplaceOriginal: a.bool("replace_original"),
		DeleteOriginal: a.bool("delete_original"), ThreadTS: a.str("thread_ts"), At: s.now()}
	if raw, ok := a.raw("blocks"); ok {
		if err := ValidateBlocks(raw, SurfaceMessage); err != nil {
			return writeJSON(w, http.StatusBadRequest, validationError(err))
		}
		resp.Blocks = nonEmpty(compact(raw))
	}
	if resp.Text == "" && resp.Blocks == nil && !resp.DeleteOriginal && !a.has("attachments") {
		return writeJSON(w, http.StatusBadRequest, errorf("no_text"))
	}
	ru.uses++
	s.replies = append(s.replies, resp)
	return writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
