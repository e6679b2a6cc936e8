package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// replayWindow is how far a request's timestamp may be from now, either way, as Slack
// documents.
const replayWindow = 5 * time.Minute

// verifySignature checks Slack's v0 request signature: HMAC-SHA256 keyed with the signing
// secret over "v0:<timestamp>:<raw body>", compared in constant time, and a timestamp within
// five minutes of now.
//
// It follows slack.NewSecretsVerifier step for step and returns the same errors, but takes
// now from the bot's clock: slack-go reads the wall clock, which would make the replay
// window and Slack's published signing vectors untestable. A test cross-checks the two on
// fresh requests so they cannot drift apart.
func verifySignature(header http.Header, body []byte, secret string, now time.Time) error {
	if secret == "" {
		return slack.ErrInvalidConfiguration
	}
	sig, stamp := header.Get("X-Slack-Signature"), header.Get("X-Slack-Request-Timestamp")
	if sig == "" || stamp == "" {
		return slack.ErrMissingHeaders
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return slack.ErrInvalidSignature
	}
	want, err := hex.DecodeString(hexSig)
	if err != nil || len(want) != sha256.Size {
		return slack.ErrInvalidSignature
	}
	ts, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return slack.ErrInvalidSignature
	}
	if now.Sub(time.Unix(ts, 0)).Abs() > replayWindow {
		return slack.ErrExpiredTimestamp
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":"))
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), want) {
		return slack.ErrInvalidSignature
	}
	return nil
}
