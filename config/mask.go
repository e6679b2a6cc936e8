package config

import (
	"net/url"
	"sort"
)

// mask hides a secret but shows whether it is set and its kind (xoxb-, xapp-).
func mask(secret string) string {
	switch {
	case secret == "":
		return ""
	case len(secret) > 5 && secret[4] == '-':
		return secret[:5] + "****"
	}
	return "****"
}

// maskURL hides the password in a connection URL.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return mask(raw)
	}
	return u.Redacted()
}

// sortedProblems orders problems by variable name so the start-up line is stable.
func sortedProblems(p []string) []string {
	sort.Strings(p)
	return p
}
