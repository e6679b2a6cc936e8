package sandbox

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

//go:embed static
var static embed.FS

// Marker is shown at the top of the page, and tests look for it.
const Marker = "Sandbox — not connected to Slack"

// Handler serves the page at /sandbox and its JSON API under /sandbox/api/. botURL is
// where the bot's own /slack/* endpoints are reached (the same server, e.g.
// http://127.0.0.1:3000).
func (s *Sandbox) Handler(botURL string) http.Handler {
	files, _ := fs.Sub(static, "static")
	mux := http.NewServeMux()
	index := func(w http.ResponseWriter, r *http.Request) {
		page, err := fs.ReadFile(files, "index.html")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:")
		w.Write(page)
	}
	mux.HandleFunc("GET /sandbox", index)
	mux.HandleFunc("GET /sandbox/{$}", index)
	mux.Handle("GET /sandbox/static/", http.StripPrefix("/sandbox/static/", http.FileServerFS(files)))

	mux.HandleFunc("GET /sandbox/api/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"users": Users, "bot": "followup", "marker": Marker})
	})
	mux.HandleFunc("GET /sandbox/api/state", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		if !knownUser(user) {
			writeError(w, http.StatusBadRequest, "unknown user")
			return
		}
		st, err := s.StateOf(r.Context(), user)
		if err != nil {
			writeError(w, http.StatusBadGateway, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
	post := func(path string, h func(w http.ResponseWriter, r *http.Request, req apiRequest)) {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			if !sameOrigin(r) {
				writeError(w, http.StatusForbidden, "cross-origin request refused")
				return
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				writeError(w, http.StatusUnsupportedMediaType, "send application/json")
				return
			}
			var req apiRequest
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
				writeError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
				return
			}
			if !knownUser(req.User) {
				writeError(w, http.StatusBadRequest, "unknown user")
				return
			}
			h(w, r, req)
		})
	}
	post("/sandbox/api/command", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		text := strings.TrimSpace(req.Text)
		text = strings.TrimSpace(strings.TrimPrefix(text, "/followup"))
		res, err := s.Command(r.Context(), botURL, req.User, text)
		answer(w, res, err)
	})
	post("/sandbox/api/submit", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		res, err := s.Submit(r.Context(), botURL, req.User, req.ViewID, req.Values)
		answer(w, res, err)
	})
	post("/sandbox/api/close", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		answer(w, map[string]any{"ok": true}, s.CloseModal(r.Context(), botURL, req.User, req.ViewID))
	})
	post("/sandbox/api/options", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		res, err := s.Options(r.Context(), botURL, req.User, req.ViewID, req.BlockID, req.ActionID, req.Value)
		answer(w, res, err)
	})
	post("/sandbox/api/action", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		status, err := s.Action(r.Context(), botURL, ActionRequest{User: req.User, Surface: req.Surface,
			Channel: req.Channel, TS: req.TS, ReplyID: req.ReplyID, ViewID: req.ViewID, Action: req.Action, Values: req.Values})
		answer(w, map[string]any{"status": status}, err)
	})
	post("/sandbox/api/home", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		answer(w, map[string]any{"ok": true}, s.OpenHome(r.Context(), botURL, req.User))
	})
	post("/sandbox/api/dm", func(w http.ResponseWriter, r *http.Request, req apiRequest) {
		answer(w, map[string]any{"ok": true}, s.SayToBot(r.Context(), botURL, req.User, req.Text))
	})
	return mux
}

// apiRequest is the body of every POST to the sandbox API; each call reads its fields.
type apiRequest struct {
	User     string                    `json:"user"`
	Text     string                    `json:"text"`
	ViewID   string                    `json:"view_id"`
	BlockID  string                    `json:"block_id"`
	ActionID string                    `json:"action_id"`
	Value    string                    `json:"value"`
	Values   map[string]map[string]any `json:"values"`
	Surface  string                    `json:"surface"`
	Channel  string                    `json:"channel"`
	TS       string                    `json:"ts"`
	ReplyID  string                    `json:"reply_id"`
	Action   map[string]any            `json:"action"`
}

// sameOrigin refuses requests another site's page makes: the API acts as any demo user.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
