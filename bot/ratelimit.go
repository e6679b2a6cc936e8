package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// commandLimits holds one token bucket per person for what they send the bot: slash
// commands and direct messages. It is per replica, which is what it is for: a script or
// a stuck key flooding the bot is slowed where it lands, with no Redis round trip on the
// path every command takes; N replicas let a person through N times the rate.
type commandLimits struct {
	perMinute int

	mu      sync.Mutex
	buckets map[string]*personLimit
}

type personLimit struct {
	commands *rate.Limiter
	warnings *rate.Limiter // one "slow down" a window, so a flood is not answered in kind
	seen     time.Time
}

// limitsSweep is how often idle buckets are dropped, and how idle they must be: a full
// bucket holds no state worth keeping.
const limitsSweep = 10 * time.Minute

func newCommandLimits(perMinute int) *commandLimits {
	return &commandLimits{perMinute: perMinute, buckets: map[string]*personLimit{}}
}

// allow takes a token from the person's bucket: a burst of perMinute, refilled at
// perMinute a minute.
func (l *commandLimits) allow(userID string) bool {
	if l == nil || l.perMinute <= 0 {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(userID, now).commands.AllowN(now, 1)
}

// warnOnce reports whether a refusal of the person's direct message should be explained:
// the first in a window is; answering each of a flood would feed it.
func (l *commandLimits) warnOnce(userID string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(userID, now).warnings.AllowN(now, 1)
}

// bucket returns the person's limiters, made on first use. l.mu is held.
func (l *commandLimits) bucket(userID string, now time.Time) *personLimit {
	b, found := l.buckets[userID]
	if !found {
		if len(l.buckets) > 0 && len(l.buckets)%1024 == 0 {
			l.sweep(now)
		}
		b = &personLimit{
			commands: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute),
			warnings: rate.NewLimiter(rate.Every(30*time.Second), 1),
		}
		l.buckets[userID] = b
	}
	b.seen = now
	return b
}

func (l *commandLimits) sweep(now time.Time) {
	for id, b := range l.buckets {
		if now.Sub(b.seen) > limitsSweep {
			delete(l.buckets, id)
		}
	}
}

// localeOf is the language to refuse someone in: theirs if this replica knows them
// already, else the deployment's. It never asks Postgres: a flood must cost nothing.
func (b *Bot) localeOf(userID string) string {
	if p, ok := b.people.get(userID); ok {
		return p.Locale
	}
	return b.cfg.DefaultLocale
}
