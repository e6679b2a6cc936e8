package slackfake

import (
	"fmt"
	"regexp"
	"time"
)

// triggerTTL is how long a trigger id can be exchanged: "They expire in three seconds".
const triggerTTL = 3 * time.Second

// triggerPattern is the format Slack's error table gives: "132456.7890123.abcdef".
var triggerPattern = regexp.MustCompile(`^\d+\.\d+\.[0-9a-f]+$`)

type trigger struct {
	issued  time.Time
	used    bool
	viewID  string // the modal the interaction came from, for views.push; "" if none
	allowed bool   // registered with AllowTrigger: taken in whatever format it has
}

// NewTriggerID issues a trigger id, as Slack does with every interaction payload, to put
// into the payload the test sends the bot. views.open and views.push accept it once,
// within 3 s of now on the fake clock. views.push with it pushes onto the most recently
// opened modal stack; use NewViewTriggerID to name the modal.
func (s *Server) NewTriggerID() string { return s.issueTrigger("") }

// NewViewTriggerID issues a trigger id as from an interaction inside the modal viewID
// (a button click or a submission), so views.push puts the new view on that modal's stack.
func (s *Server) NewViewTriggerID(viewID string) string { return s.issueTrigger(viewID) }

// AllowTrigger registers a trigger id the fake did not issue, such as the one inside a
// saved real payload, as issued now. It is accepted whatever its format, because the
// saved samples redact some ids ("111.222.xxx"); it still expires and works once.
func (s *Server) AllowTrigger(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.triggers[id] = &trigger{issued: s.now(), allowed: true}
}

func (s *Server) issueTrigger(viewID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := fmt.Sprintf("%d.%d.%s", 10000000000+s.seq, s.now().Unix(), randomHex(16))
	s.triggers[id] = &trigger{issued: s.now(), viewID: viewID}
	return id
}

// checkTrigger finds a trigger that may still be exchanged, or names Slack's error.
// Callers hold s.mu and mark the trigger used once the call succeeds.
func (s *Server) checkTrigger(id string) (*trigger, string) {
	t, ok := s.triggers[id]
	switch {
	case !ok || (!t.allowed && !triggerPattern.MatchString(id)):
		return nil, "invalid_trigger_id"
	case t.used:
		return nil, "exchanged_trigger_id"
	case s.now().Sub(t.issued) > triggerTTL:
		return nil, "expired_trigger_id"
	}
	return t, ""
}
