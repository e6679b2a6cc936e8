package slackfake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// args are a method's arguments whichever way they came: Slack accepts the same fields
// as a form (JSON-valued fields encoded as strings) or as a JSON body, and slack-go uses
// both (forms for chat.* and users.*, JSON for views.*).
type args struct {
	form url.Values                 // form and query fields; nil for JSON bodies
	json map[string]json.RawMessage // JSON body fields; nil for forms
}

// apiError is Slack's error body. Messages and Errors carry Block Kit problems the way
// Slack reports them.
type apiError struct {
	OK               bool          `json:"ok"`
	Error            string        `json:"error"`
	Errors           []string      `json:"errors,omitempty"`
	ReqMethod        string        `json:"req_method,omitempty"`
	ResponseMetadata *responseMeta `json:"response_metadata,omitempty"`
}

type responseMeta struct {
	Messages []string `json:"messages"`
}

func errorf(code string) apiError { return apiError{Error: code} }

// invalidArgs is Slack's answer to a malformed argument: invalid_arguments with the
// reason in response_metadata.messages.
func invalidArgs(messages ...string) apiError {
	return apiError{Error: "invalid_arguments", ResponseMetadata: &responseMeta{Messages: messages}}
}

// validationError turns a *ValidationError into Slack's error body.
func validationError(err error) apiError {
	ve, ok := err.(*ValidationError)
	if !ok {
		return invalidArgs(err.Error())
	}
	e := apiError{Error: ve.Code}
	if len(ve.Messages) > 0 {
		e.ResponseMetadata = &responseMeta{Messages: ve.Messages}
		if ve.Code == "invalid_blocks" {
			// chat.* also list the problems, without the "[ERROR] " prefix, in errors.
			for _, m := range ve.Messages {
				e.Errors = append(e.Errors, trimLevel(m))
			}
		}
	}
	return e
}

func parseArgs(r *http.Request, body []byte) (args, *apiError) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil || m == nil {
			return args{}, &apiError{Error: "invalid_json"}
		}
		return args{json: m}, nil
	case "multipart/form-data":
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return args{form: url.Values{}}, &apiError{Error: "invalid_form_data"}
		}
		return args{form: mergeValues(r.URL.Query(), r.MultipartForm.Value)}, nil
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return args{form: r.URL.Query()}, &apiError{Error: "invalid_form_data"}
		}
		return args{form: mergeValues(r.URL.Query(), form)}, nil
	}
}

func mergeValues(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = append(out[k], v...)
	}
	for k, v := range b {
		out[k] = append(out[k], v...)
	}
	return out
}

// has reports whether the argument was sent at all (an empty string counts).
func (a args) has(name string) bool {
	if a.json != nil {
		_, ok := a.json[name]
		return ok
	}
	_, ok := a.form[name]
	return ok
}

// str is the argument as a string: form value, JSON string, or a JSON scalar's text.
func (a args) str(name string) string {
	if a.json == nil {
		return a.form.Get(name)
	}
	raw, ok := a.json[name]
	if !ok || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// raw is a JSON-valued argument (blocks, view, files...): a form field holds it encoded
// as a string, a JSON body either inline or as a string, and Slack takes both.
func (a args) raw(name string) (json.RawMessage, bool) {
	if a.json == nil {
		if !a.has(name) {
			return nil, false
		}
		return json.RawMessage(a.form.Get(name)), true
	}
	raw, ok := a.json[name]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return json.RawMessage(s), true
	}
	return raw, true
}

// bool reads Slack's booleans, which arrive as true/false, "true"/"false" or 1/0.
func (a args) bool(name string) bool {
	b, _ := strconv.ParseBool(a.str(name))
	return b
}

// writeJSON answers with body and returns what the call record needs: the status and,
// for ok:false bodies, the error name.
func writeJSON(w http.ResponseWriter, status int, body any) (int, string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
	if e, ok := body.(apiError); ok {
		return status, e.Error
	}
	return status, ""
}
