package slackfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// Identities the fake answers with. They are constants, not settings, because a test
// that needs another workspace can compare against these instead of configuring one.
const (
	// TeamID is the workspace every object of the fake belongs to.
	TeamID = "T0FAKE0001"
	// BotUserID is the bot user behind the token (auth.test user_id, message author).
	BotUserID = "U0FAKEBOT1"
	// BotID is the bot id of the app (auth.test bot_id, message bot_id).
	BotID = "B0FAKEBOT1"
	// AppID is the app the views and messages are attributed to.
	AppID = "A0FAKEAPP1"
	// DefaultToken is the bot token the fake accepts unless WithToken says otherwise.
	DefaultToken = "xoxb-test"
)

// Server is a running fake of Slack's Web API. All methods are safe for concurrent use:
// the bot under test calls it from its own goroutines while the test reads it.
type Server struct {
	srv   *httptest.Server
	token string
	now   func() time.Time

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every recorded call, for WaitFor
	closing chan struct{} // closed by Close: hung calls end
	seq     int64         // source of unique ids
	lastTS  int64         // last message ts handed out, in microseconds

	calls     []Call
	faults    map[string][]*fault
	down      bool
	users     map[string]slack.User
	dms       map[string]string // sorted member list -> conversation id
	dmMembers map[string][]string
	messages  map[string][]*Message
	triggers  map[string]*trigger
	views     map[string]*View
	viewOrder []string
	stacks    [][]string        // open modal stacks, oldest first; each is root..top
	homes     map[string]string // user id -> home view id
	responses map[string]*responseURL
	replies   []Response
	files     map[string]*File
	fileOrder []string
	socket    socketState // Socket Mode: app token, open connections, acks (socket.go)
	closeOnce sync.Once
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the fake read time from now instead of time.Now. Trigger ids expire 3 s
// after they are issued and response URLs after 30 min; a test moves its clock to get
// there without sleeping.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithToken sets the bot token the fake accepts (default DefaultToken). Any other token
// gets invalid_auth and no token at all not_authed, as from Slack.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// New starts a fake on a local port. Call Close when done, or use NewTest.
func New(opts ...Option) *Server {
	s := &Server{
		token:     DefaultToken,
		now:       time.Now,
		changed:   make(chan struct{}),
		closing:   make(chan struct{}),
		faults:    map[string][]*fault{},
		users:     map[string]slack.User{},
		dms:       map[string]string{},
		dmMembers: map[string][]string{},
		messages:  map[string][]*Message{},
		triggers:  map[string]*trigger{},
		views:     map[string]*View{},
		homes:     map[string]string{},
		responses: map[string]*responseURL{},
		files:     map[string]*File{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.users[BotUserID] = slack.User{ID: BotUserID, TeamID: TeamID, Name: "followup-bot",
		RealName: "Follow-up Bot", IsBot: true, TZ: "America/Los_Angeles",
		TZLabel: "Pacific Standard Time", TZOffset: -28800, Locale: "en-US",
		Profile: slack.UserProfile{BotID: BotID, RealName: "Follow-up Bot", DisplayName: "followup-bot"}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// NewTest starts a fake that is closed when the test ends.
func NewTest(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	t.Cleanup(s.Close)
	return s
}

// Close shuts the fake down, waiting for requests in flight. Socket Mode connections are
// closed first: the HTTP server does not wait for them once they are upgraded.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.closeSockets()
	s.srv.Close()
}

// URL is the root of the fake, e.g. http://127.0.0.1:41234 (no trailing slash).
func (s *Server) URL() string { return s.srv.URL }

// APIURL is what to pass to slack.OptionAPIURL: the fake's /api/ prefix, with the
// trailing slash slack-go expects because it appends method names directly.
func (s *Server) APIURL() string { return s.srv.URL + "/api/" }

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.token }

// Client returns a slack-go client for the fake with the accepted token, for tests that
// play the bot's part themselves.
func (s *Server) Client(opts ...slack.Option) *slack.Client {
	return slack.New(s.token, append([]slack.Option{slack.OptionAPIURL(s.APIURL())}, opts...)...)
}

// handler serves one Web API method. It runs with s.mu held and returns the JSON body
// (an ok:true object or an apiError).
type handler func(s *Server, a args) any

// route is the fake's routing table; a switch rather than a map so that the package
// holds no mutable state.
func route(method string) handler {
	switch method {
	case "auth.test":
		return (*Server).authTest
	case "users.info":
		return (*Server).usersInfo
	case "conversations.open":
		return (*Server).conversationsOpen
	case "chat.postMessage":
		return (*Server).chatPostMessage
	case "chat.postEphemeral":
		return (*Server).chatPostEphemeral
	case "chat.update":
		return (*Server).chatUpdate
	case "views.open":
		return (*Server).viewsOpen
	case "views.push":
		return (*Server).viewsPush
	case "views.update":
		return (*Server).viewsUpdate
	case "views.publish":
		return (*Server).viewsPublish
	case "files.getUploadURLExternal":
		return (*Server).filesGetUploadURLExternal
	case "files.completeUploadExternal":
		return (*Server).filesCompleteUploadExternal
	case "files.info":
		return (*Server).filesInfo
	}
	return nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	switch {
	case r.URL.Path == "/api/"+methodConnectionsOpen:
		s.serveConnectionsOpen(w, r, body) // app-level token and an empty body: not serveAPI's rules
	case strings.HasPrefix(r.URL.Path, socketPathPrefix):
		s.serveSocket(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/"):
		s.serveAPI(w, r, strings.TrimPrefix(r.URL.Path, "/api/"), body)
	case strings.HasPrefix(r.URL.Path, responsePathPrefix):
		s.serveResponseURL(w, r, body)
	case strings.HasPrefix(r.URL.Path, uploadPathPrefix):
		s.serveUpload(w, r, body)
	case strings.HasPrefix(r.URL.Path, downloadPathPrefix):
		s.serveDownload(w, r)
	case r.URL.Path == signInPath:
		serveSignIn(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, method string, body []byte) {
	a, parseErr := parseArgs(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := newCall(method, r, a, body, s.now())

	if f := s.takeFault(method); f != nil {
		if f.hang {
			c.Error = "no_response"
			s.record(c)
			s.mu.Unlock()
			select {
			case <-r.Context().Done():
			case <-s.closing:
			}
			s.mu.Lock() // for the deferred Unlock
			return
		}
		c.Status, c.Error = f.write(w)
		s.record(c)
		return
	}
	h := route(method)
	if h == nil {
		c.Status, c.Error = writeJSON(w, http.StatusNotFound, apiError{Error: "unknown_method", ReqMethod: method})
		s.record(c)
		return
	}
	var resp any
	switch {
	case parseErr != nil:
		resp = *parseErr
	default:
		resp = s.authenticate(r, a)
		if resp == nil {
			resp = h(s, a)
		}
	}
	c.Status, c.Error = writeJSON(w, http.StatusOK, resp)
	s.record(c)
}

// authenticate returns nil when the request carries the expected token. Slack takes it
// from the Authorization header or, for form posts, from the token field; JSON bodies
// must use the header.
func (s *Server) authenticate(r *http.Request, a args) any {
	token := ""
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimPrefix(h, "Bearer ")
	} else if a.form != nil {
		token = a.form.Get("token")
	}
	switch token {
	case s.token:
		return nil
	case "":
		return apiError{Error: "not_authed"}
	default:
		return apiError{Error: "invalid_auth"}
	}
}
