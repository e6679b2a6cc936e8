package slackfake

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// AnyMethod makes FailNext and FailNextError apply to whichever Web API method comes next.
const AnyMethod = "*"

// fault is one injected failure, used up n times.
type fault struct {
	n          int
	status     int
	retryAfter time.Duration
	code       string // for FailNextError: an ok:false answer with HTTP 200
	hang       bool   // for HangNext: no answer at all
}

// FailNext makes the next n calls to method (or AnyMethod) fail at the HTTP level, the
// way Slack's edge does: status 429 answers {"ok":false,"error":"ratelimited"} with a
// Retry-After header in whole seconds (rounded up; retryAfter 0 leaves the header out,
// which slack-go reports as a plain status error), and any other status answers an HTML
// page, as Slack's 5xx do. Failures queue up in the order they were added.
func (s *Server) FailNext(method string, n int, status int, retryAfter time.Duration) {
	s.addFault(method, &fault{n: n, status: status, retryAfter: retryAfter})
}

// FailNextError makes the next n calls to method (or AnyMethod) answer HTTP 200 with
// {"ok":false,"error":code}: errors the fake cannot produce on its own, such as
// not_in_channel, is_archived or internal_error.
func (s *Server) FailNextError(method string, n int, code string) {
	s.addFault(method, &fault{n: n, status: http.StatusOK, code: code})
}

// HangNext makes the next n calls to method (or AnyMethod) go unanswered, as when a
// request is lost on the way or Slack stalls: the fake reads the call and never replies
// until the caller gives up (its timeout, or it went away) or the fake closes. Nothing of
// the call is carried out: a hung chat.postMessage posts no message. The call is recorded
// with the error "no_response", so a test can see that it came.
func (s *Server) HangNext(method string, n int) {
	s.addFault(method, &fault{n: n, hang: true})
}

// Down makes every Web API method answer 503 while down is true, as during a Slack
// outage. Calls are still recorded.
func (s *Server) Down(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *Server) addFault(method string, f *fault) {
	if f.n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], f)
}

// takeFault uses up one failure for method, if any is due. Callers hold s.mu.
func (s *Server) takeFault(method string) *fault {
	if s.down {
		return &fault{status: http.StatusServiceUnavailable}
	}
	for _, key := range []string{method, AnyMethod} {
		queue := s.faults[key]
		if len(queue) == 0 {
			continue
		}
		f := queue[0]
		if f.n--; f.n == 0 {
			s.faults[key] = queue[1:]
		}
		return f
	}
	return nil
}

// write answers the failure and returns the status and error name for the call record.
func (f *fault) write(w http.ResponseWriter) (int, string) {
	switch {
	case f.code != "":
		return writeJSON(w, http.StatusOK, errorf(f.code))
	case f.status == http.StatusTooManyRequests:
		if f.retryAfter > 0 {
			secs := int(math.Ceil(f.retryAfter.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		return writeJSON(w, http.StatusTooManyRequests, errorf("ratelimited"))
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.status)
		text := http.StatusText(f.status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
			f.status, text, f.status, text)
		return f.status, ""
	}
}
