package slackfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// Sign returns the X-Slack-Signature Slack sends for body at Unix time ts: "v0=" + hex of
// HMAC-SHA256 keyed with the signing secret over "v0:<ts>:<body>".
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + strconv.FormatInt(ts, 10) + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// SignRequest sets the two headers Slack signs a request with, for body sent at now.
func SignRequest(h http.Header, secret string, now time.Time, body []byte) {
	h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("X-Slack-Signature", Sign(secret, now.Unix(), body))
}
