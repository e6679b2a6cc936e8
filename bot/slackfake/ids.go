package slackfake

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
)

// Shapes of Slack ids. Slack ids are a type letter and upper-case letters and digits;
// anything else (a channel name, a lower-case typo) is channel_not_found, as from Slack.
var (
	conversationIDPattern = regexp.MustCompile(`^[CGD][A-Z0-9]{2,20}$`)
	userIDPattern         = regexp.MustCompile(`^[UW][A-Z0-9]{2,20}$`)
	tsPattern             = regexp.MustCompile(`^\d{10}\.\d{6}$`)
)

// nextID returns a new id such as V0000000A1: the type letter, then upper-case hex.
// Callers hold s.mu.
func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%09X", prefix, s.seq)
}

// nextTS returns a message timestamp like Slack's "1503435956.000247": the fake clock's
// time in microseconds, bumped so that every ts is unique and increasing even when the
// clock stands still. Callers hold s.mu.
func (s *Server) nextTS() string {
	us := s.now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// nextHash returns a view hash like Slack's "1569262015.55b5e41b". Callers hold s.mu.
func (s *Server) nextHash() string {
	return fmt.Sprintf("%d.%s", s.now().Unix(), randomHex(4))
}

// randomHex returns n random bytes as hex. Ids that stand for secrets (trigger ids,
// response and upload URLs) are random so a test cannot guess them by accident.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
