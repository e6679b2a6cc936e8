package slackfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Pseudo method names under which requests to the fake's non-API URLs are recorded, so
// WaitFor works for them too.
const (
	// MethodResponseURL records POSTs to URLs from ResponseURL.
	MethodResponseURL = "response_url"
	// MethodUpload records POSTs of file bytes to upload URLs from files.getUploadURLExternal.
	MethodUpload = "upload"
	// MethodDownload records GETs of files' url_private_download.
	MethodDownload = "download"
)

// Call is one request the fake received, whatever its outcome.
type Call struct {
	// Method is the Web API method (chat.postMessage...) or MethodResponseURL/MethodUpload.
	Method string
	// Params holds form and query fields. The token is left out: it was checked, and
	// leaving it out keeps it from being printed by a failing test.
	Params url.Values
	// JSON is the decoded body of a JSON request, nil for forms.
	JSON map[string]any
	// Body is the raw request body.
	Body []byte
	// URL is the request path (useful for response_url and upload calls).
	URL string
	// Status is the HTTP status the fake answered with.
	Status int
	// Error is the Slack error name answered (ok:false), "" on success.
	Error string
	// At is the fake clock's time when the call arrived.
	At time.Time
}

// Arg returns an argument by name whichever way it was sent: a form field, or a JSON
// field (strings as they are, other values as JSON text).
func (c Call) Arg(name string) string {
	if c.JSON == nil {
		return c.Params.Get(name)
	}
	v, ok := c.JSON[name]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func newCall(method string, r *http.Request, a args, body []byte, at time.Time) Call {
	c := Call{Method: method, Body: body, URL: r.URL.Path, At: at}
	if a.form != nil {
		c.Params = url.Values{}
		for k, v := range a.form {
			if k != "token" {
				c.Params[k] = append([]string(nil), v...)
			}
		}
	}
	if a.json != nil {
		_ = json.Unmarshal(body, &c.JSON)
	}
	return c
}

// record stores c and wakes WaitFor. Callers hold s.mu.
func (s *Server) record(c Call) {
	s.calls = append(s.calls, c)
	close(s.changed)
	s.changed = make(chan struct{})
}

// Calls returns every request received so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the requests to one method, oldest first.
func (s *Server) CallsTo(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsTo(method)
}

func (s *Server) callsTo(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitFor waits until at least n calls to method were received and returns them all.
// The bot acks Slack first and calls the Web API afterwards, so a test cannot read the
// outcome right after its request returns. It fails the test after timeout (real time,
// not the fake clock).
func (s *Server) WaitFor(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		calls, changed := s.callsTo(method), s.changed
		s.mu.Unlock()
		if len(calls) >= n {
			return calls
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("slackfake: waited %v for %d call(s) to %s, got %d", timeout, n, method, len(calls))
			return calls
		}
	}
}
