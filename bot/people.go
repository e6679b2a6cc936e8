package bot

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/followuphq/followup"
)

// person returns the Slack user behind a request, registering them on first use with the
// time zone and locale Slack knows for them. If Slack cannot be asked, they are registered
// with the deployment's defaults rather than turned away.
func (b *Bot) person(ctx context.Context, slackID string) (followup.Person, error) {
	if p, ok := b.people.get(slackID); ok {
		return p, nil
	}
	p, err := b.store.FindPerson(ctx, slackID)
	if err == nil {
		b.people.put(p)
		return p, nil
	}
	if followup.ErrorCode(err) != followup.ENOTFOUND {
		return p, err
	}
	p = followup.Person{SlackID: slackID, Locale: b.cfg.DefaultLocale, Role: followup.RoleRep}
	if u, err := b.slack.GetUserInfoContext(ctx, slackID); err != nil {
		b.log.WarnContext(ctx, "users.info failed; registering with defaults", "user", slackID, "err", err)
	} else {
		p.Name, p.RealName, p.Email, p.TZ = u.Name, u.RealName, u.Profile.Email, u.TZ
		p.Locale = followup.NormalizeLocale(u.Locale, b.cfg.DefaultLocale)
	}
	if slices.Contains(b.cfg.AdminSlackIDs, slackID) {
		p.Role = followup.RoleAdmin
	}
	p, err = b.store.SavePerson(ctx, p)
	if err == nil {
		b.people.put(p)
	}
	return p, err
}

// peopleTTL is how long a replica trusts what it last read of a person. Every request
// needs the person (their time zone and language shape every answer) and people change
// rarely: a change made through this replica (a language, a team) is seen at once, one
// made through another replica within peopleTTL.
const peopleTTL = 30 * time.Second

// peopleCacheMax bounds the cache; past it, expired entries are swept out.
const peopleCacheMax = 10_000

// peopleCache keeps recently read people, so that a request costs no round trip to
// Postgres just to learn who asked. Its clock is the wall clock, not the bot's (which
// tests pin): it measures how old a copy is, not the domain's time.
type peopleCache struct {
	mu sync.Mutex
	m  map[string]cachedPerson
}

type cachedPerson struct {
	p       followup.Person
	expires time.Time
}

func (c *peopleCache) get(id string) (followup.Person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || time.Now().After(e.expires) {
		return followup.Person{}, false
	}
	return e.p, true
}

func (c *peopleCache) put(p followup.Person) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.m == nil {
		c.m = map[string]cachedPerson{}
	}
	if len(c.m) >= peopleCacheMax {
		for id, e := range c.m {
			if now.After(e.expires) {
				delete(c.m, id)
			}
		}
	}
	c.m[p.SlackID] = cachedPerson{p: p, expires: now.Add(peopleTTL)}
}

// forgetAll drops everyone: a team's set-up changes who manages whom, including people the
// form no longer names (the previous manager).
func (c *peopleCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// forget drops what is known of the people, after a change to them.
func (c *peopleCache) forget(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.m, id)
	}
}
