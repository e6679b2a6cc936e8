package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// maxBody bounds what Slack may send us; its largest payloads (a full modal's state) are
// far below it.
const maxBody = 1 << 20

// Handler returns the HTTP handler for the Slack endpoints and the health checks.
func (b *Bot) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", b.measured("commands", b.verified(b.handleCommand)))
	mux.Handle("POST /slack/interactions", b.measured("interactions", b.verified(b.handleInteraction)))
	mux.Handle("POST /slack/options", b.measured("options", b.verified(b.handleOptions)))
	mux.Handle("POST /slack/events", b.measured("events", b.verified(b.handleEvent)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", b.handleReady)
	return mux
}

// verified reads the body once (bounded), rejects anything whose signature does not check
// out with 401 before any handler sees it, and hands the handler the raw bytes.
func (b *Bot) verified(h func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if err := verifySignature(r.Header, body, b.cfg.SigningSecret, b.now()); err != nil {
			b.log.WarnContext(r.Context(), "rejected unsigned request", "path", r.URL.Path, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r, body)
	})
}

// handleReady answers 200 only when Postgres and Redis both answer, so a load balancer
// sends no traffic to a replica that cannot save.
func (b *Bot) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{"postgres": "ok", "redis": "ok"}
	code := http.StatusOK
	if err := b.store.Ping(ctx); err != nil {
		status["postgres"], code = "unavailable", http.StatusServiceUnavailable
	}
	if err := b.state.Ping(ctx); err != nil {
		status["redis"], code = "unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, code, status)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
