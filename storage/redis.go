package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/pii"
)

// Redis holds short-lived conversation state: multi-step flows, pending confirmations and
// the ids of Slack deliveries already handled. Nothing here is a record; losing it costs a
// user a retry, never data.
type Redis struct {
	client redis.UniversalClient
	prefix string
	keys   *pii.Keyring // seals state values; see WithStateKeyring
}

// RedisOption configures a Redis.
type RedisOption func(*Redis)

// WithStateKeyring seals every conversation state value before it is written: a customer
// waiting for the duplicate check holds a phone number and an ID number, and Redis may
// persist what it holds to disk. State written without a keyring is still read.
func WithStateKeyring(k *pii.Keyring) RedisOption { return func(r *Redis) { r.keys = k } }

// Redis deployments OpenRedis can connect to.
const (
	RedisSingle   = "single"   // one server (or a managed endpoint)
	RedisSentinel = "sentinel" // a Sentinel-managed primary: URL lists sentinels, ?master_name=...
	RedisCluster  = "cluster"  // a Redis Cluster: URL lists seed nodes as addr=...
)

// OpenRedis connects to Redis and checks that it answers. url is a redis:// or rediss:// URL
// in go-redis's format for the mode; pool and timeout settings go in its query
// (?pool_size=50&dial_timeout=3s).
func OpenRedis(ctx context.Context, url, mode string) (redis.UniversalClient, error) {
	var client redis.UniversalClient
	switch mode {
	case RedisSingle, "":
		opts, err := redis.ParseURL(url)
		if err != nil {
			return nil, fmt.Errorf("parse redis url: %w", err)
		}
		client = redis.NewClient(opts)
	case RedisSentinel:
		opts, err := redis.ParseFailoverURL(url)
		if err != nil {
			return nil, fmt.Errorf("parse redis sentinel url: %w", err)
		}
		client = redis.NewFailoverClient(opts)
	case RedisCluster:
		opts, err := redis.ParseClusterURL(url)
		if err != nil {
			return nil, fmt.Errorf("parse redis cluster url: %w", err)
		}
		client = redis.NewClusterClient(opts)
	default:
		return nil, fmt.Errorf("unknown redis mode %q", mode)
	}
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connect to redis (%s): %w", mode, err)
	}
	return client, nil
}

// NewRedis returns a store that keeps every key under prefix, so several deployments (or
// parallel tests) can share one Redis.
func NewRedis(client redis.UniversalClient, prefix string, opts ...RedisOption) *Redis {
	r := &Redis{client: client, prefix: prefix}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Ping reports whether Redis answers; /readyz uses it.
func (r *Redis) Ping(ctx context.Context) error {
	return mapRedisError(r.client.Ping(ctx).Err())
}

// SaveState stores v as JSON under key for ttl.
func (r *Redis) SaveState(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	var value any = b
	if r.keys != nil {
		if value, err = r.keys.Seal(sealState, string(b)); err != nil {
			return fmt.Errorf("seal state: %w", err)
		}
	}
	return mapRedisError(r.client.Set(ctx, r.prefix+"state:"+key, value, ttl).Err())
}

// LoadState reads the state under key into v. A missing key is EEXPIRED: the flow timed out
// or Redis lost it, and the user has to start again.
func (r *Redis) LoadState(ctx context.Context, key string, v any) error {
	b, err := r.client.Get(ctx, r.prefix+"state:"+key).Bytes()
	return r.decodeState(b, err, v)
}

// TakeState reads and deletes the state under key in one step, so a double submission is
// handled once.
func (r *Redis) TakeState(ctx context.Context, key string, v any) error {
	b, err := r.client.GetDel(ctx, r.prefix+"state:"+key).Bytes()
	return r.decodeState(b, err, v)
}

// FirstDelivery records id and reports whether this is the first time it was seen within
// ttl. Slack redelivers events it thinks failed; the event id tells a retry from news.
func (r *Redis) FirstDelivery(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	ok, err := r.client.SetNX(ctx, r.prefix+"seen:"+id, 1, ttl).Result()
	return ok, mapRedisError(err)
}

// ForgetDelivery removes id, so that a delivery whose handling failed is processed when
// Slack retries it.
func (r *Redis) ForgetDelivery(ctx context.Context, id string) error {
	return mapRedisError(r.client.Del(ctx, r.prefix+"seen:"+id).Err())
}

func (r *Redis) decodeState(b []byte, err error, v any) error {
	if errors.Is(err, redis.Nil) {
		return followup.Errorf(followup.EEXPIRED, "This conversation has expired.")
	}
	if err != nil {
		return mapRedisError(err)
	}
	if pii.IsSealed(string(b)) {
		if r.keys == nil {
			return fmt.Errorf("open state: %w", errNoKeyring)
		}
		plain, err := r.keys.Open(sealState, string(b))
		if err != nil {
			return fmt.Errorf("open state: %w", err)
		}
		b = []byte(plain)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode state: %w", err)
	}
	return nil
}

func mapRedisError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", followup.Errorf(followup.EUNAVAILABLE, "Conversation state is unavailable right now."), err)
}
