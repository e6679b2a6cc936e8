package sandbox

// pii key of the sandbox: public by design (it is in the source), for demo data only.
const piiKey = "followup sandbox pii key, public"

// PIIKey is the key the sandbox seals personal data with when PII_KEY is unset, so that
// `make run` needs no configuration and still stores no phone number in the clear. It is
// public, since it is written here: what it seals is demo data, and real data needs
// PII_KEY.
func PIIKey() []byte { return []byte(piiKey) }
