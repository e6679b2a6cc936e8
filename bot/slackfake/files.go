package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// Paths on the fake's own host: where file bytes are uploaded to, and where they are
// downloaded from (Slack's files.slack.com/files-pri/TEAM-FILE/download/NAME).
const (
	uploadPathPrefix   = "/upload/v1/"
	downloadPathPrefix = "/files-pri/"
)

// File is an upload started with files.getUploadURLExternal.
type File struct {
	ID             string
	Name           string // filename given to files.getUploadURLExternal
	Title          string // title given to files.completeUploadExternal (Name if none)
	Length         int    // length announced to files.getUploadURLExternal
	Content        []byte // bytes POSTed to the upload URL
	Uploaded       bool
	Completed      bool     // files.completeUploadExternal accepted it; it can be completed once
	Channels       []string // where it was shared; none means it stayed private
	InitialComment string
	ThreadTS       string
	User           string // who uploaded it: the bot for the three-step upload, a person for ShareFile
	Created        int64  // Unix time it was created

	uploadPath string
}

// downloadPath is where the file's bytes are served once it is shared, as url_private_download.
func (f *File) downloadPath() string {
	return downloadPathPrefix + TeamID + "-" + f.ID + "/download/" + url.PathEscape(f.Name)
}

// ShareFile is a person uploading a file into a conversation, as when a rep drags a
// spreadsheet into their DM with the bot: the file is stored (its bytes served at
// url_private_download to the bot token only), a file_share message is posted, and the
// file object Slack puts in that message's event is returned, with the message's ts.
func (s *Server) ShareFile(user, channel, name string, content []byte, comment string) (slack.File, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.resolveChannel(channel, true)
	if !ok {
		ch = channel
	}
	f := &File{ID: s.nextID("F"), Name: name, Title: name, Length: len(content), Content: append([]byte(nil), content...),
		Uploaded: true, Completed: true, Channels: []string{ch}, InitialComment: comment, User: user, Created: s.now().Unix()}
	s.files[f.ID] = f
	s.fileOrder = append(s.fileOrder, f.ID)
	ts := s.nextTS()
	s.messages[ch] = append(s.messages[ch], &Message{Channel: ch, TS: ts, Text: comment, Files: []string{f.ID}})
	return s.fileObject(f), ts
}

// fileObject is a file as Slack describes it in events and files.info.
func (s *Server) fileObject(f *File) slack.File {
	filetype, mimetype := "binary", "application/octet-stream"
	switch strings.ToLower(filepath.Ext(f.Name)) {
	case ".csv":
		filetype, mimetype = "csv", "text/csv"
	case ".xlsx":
		filetype, mimetype = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".txt":
		filetype, mimetype = "text", "text/plain"
	case ".png":
		filetype, mimetype = "png", "image/png"
	}
	obj := slack.File{ID: f.ID, Created: slack.JSONTime(f.Created), Timestamp: slack.JSONTime(f.Created), Name: f.Name,
		Title: f.Title, Mimetype: mimetype, Filetype: filetype, User: f.User, Mode: "hosted", Size: f.Length,
		Channels: append([]string(nil), f.Channels...)}
	if f.Completed {
		obj.URLPrivate = s.srv.URL + f.downloadPath()
		obj.URLPrivateDownload = obj.URLPrivate
	}
	return obj
}

// Files returns every upload, in the order they were started.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.fileOrder))
	for _, id := range s.fileOrder {
		out = append(out, copyFile(s.files[id]))
	}
	return out
}

// File returns one upload by file id.
func (s *Server) File(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return File{}, false
	}
	return copyFile(f), true
}

func copyFile(f *File) File {
	c := *f
	c.Content = append([]byte(nil), f.Content...)
	c.Channels = append([]string(nil), f.Channels...)
	return c
}

// filesGetUploadURLExternal hands out an upload URL on the fake's own host: slack-go
// sends the token along with the bytes and refuses URLs that are neither Slack's nor
// the API URL's host.
func (s *Server) filesGetUploadURLExternal(a args) any {
	name := a.str("filename")
	length, err := strconv.Atoi(a.str("length"))
	switch {
	case name == "":
		return invalidArgs("[ERROR] missing required field: filename")
	case err != nil || length <= 0:
		return invalidArgs("[ERROR] length must be a positive integer")
	}
	f := &File{ID: s.nextID("F"), Name: name, Length: length, User: BotUserID, Created: s.now().Unix()}
	f.uploadPath = uploadPathPrefix + f.ID + "-" + randomHex(12)
	s.files[f.ID] = f
	s.fileOrder = append(s.fileOrder, f.ID)
	return map[string]any{"ok": true, "upload_url": s.srv.URL + f.uploadPath, "file_id": f.ID}
}

func (s *Server) filesCompleteUploadExternal(a args) any {
	raw, _ := a.raw("files")
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return invalidArgs("[ERROR] files must be a non-empty array of {id, title}")
	}
	for _, item := range list {
		if f, ok := s.files[item.ID]; !ok || !f.Uploaded || f.Completed {
			return errorf("file_not_found")
		}
	}
	var channels []string
	for _, ch := range append([]string{a.str("channel_id")}, strings.Split(a.str("channels"), ",")...) {
		if ch = strings.TrimSpace(ch); ch == "" {
			continue
		}
		id, ok := s.resolveChannel(ch, true)
		if !ok {
			return errorf("channel_not_found")
		}
		channels = append(channels, id)
	}
	comment := a.str("initial_comment")
	var blocks json.RawMessage
	if raw, ok := a.raw("blocks"); ok && comment == "" {
		if err := ValidateBlocks(raw, SurfaceMessage); err != nil {
			return validationError(err)
		}
		blocks = nonEmpty(compact(raw))
	}

	var ids []string
	var out []map[string]any
	for _, item := range list {
		f := s.files[item.ID]
		f.Completed, f.Channels, f.InitialComment, f.ThreadTS = true, channels, comment, a.str("thread_ts")
		if f.Title = item.Title; f.Title == "" {
			f.Title = f.Name
		}
		ids = append(ids, f.ID)
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	for _, ch := range channels {
		m := &Message{Channel: ch, TS: s.nextTS(), Text: comment, Blocks: blocks,
			ThreadTS: a.str("thread_ts"), Files: ids}
		s.messages[ch] = append(s.messages[ch], m)
	}
	return map[string]any{"ok": true, "files": out}
}

// filesInfo answers files.info with the file object (comments and paging empty).
func (s *Server) filesInfo(a args) any {
	f, ok := s.files[a.str("file")]
	if !ok || !f.Completed {
		return errorf("file_not_found")
	}
	return map[string]any{"ok": true, "file": s.fileObject(f), "comments": []any{},
		"paging": map[string]int{"count": 100, "total": 0, "page": 1, "pages": 0}}
}

// serveDownload serves a shared file's bytes to the bot token, sent as Slack wants it, in
// the Authorization header. Without it Slack does not refuse: it redirects to the
// workspace's sign-in page with the file's path in redir, which slack-go recognises.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := newCall(MethodDownload, r, args{}, nil, s.now())
	defer func() { s.record(c) }()
	var f *File
	for _, cand := range s.files {
		if cand.Completed && downloadPathPrefix+TeamID+"-"+cand.ID+"/download/"+cand.Name == r.URL.Path {
			f = cand
		}
	}
	switch {
	case r.Method != http.MethodGet:
		c.Status = http.StatusMethodNotAllowed
		w.WriteHeader(c.Status)
	case r.Header.Get("Authorization") != "Bearer "+s.token:
		c.Status = http.StatusFound
		http.Redirect(w, r, s.srv.URL+signInPath+"?redir="+url.QueryEscape(r.URL.Path), c.Status)
	case f == nil:
		c.Status = http.StatusNotFound
		http.NotFound(w, r)
	default:
		c.Status = http.StatusOK
		w.Header().Set("Content-Type", s.fileObject(f).Mimetype)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Content)))
		w.Write(f.Content)
	}
}

// signInPath is the fake's workspace sign-in page, where downloads without the token land.
const signInPath = "/signin"

func serveSignIn(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintln(w, "<!DOCTYPE html><title>Sign in | Slack</title><p>Sign in to your workspace.</p>")
}

// serveUpload takes the file bytes, raw or as multipart (slack-go sends a "file" part),
// and answers as Slack's upload host does.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, body []byte) {
	content, parseErr := uploadedBytes(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := newCall(MethodUpload, r, args{}, body, s.now())
	defer func() { s.record(c) }()

	var f *File
	for _, cand := range s.files {
		if cand.uploadPath == r.URL.Path {
			f = cand
		}
	}
	switch {
	case r.Method != http.MethodPost:
		c.Status = http.StatusMethodNotAllowed
	case f == nil || f.Completed:
		c.Status = http.StatusNotFound
	case parseErr != nil:
		c.Status = http.StatusBadRequest
	default:
		f.Content, f.Uploaded = content, true
		c.Status = http.StatusOK
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(c.Status)
	if c.Status == http.StatusOK {
		fmt.Fprintf(w, "OK - %d", len(content))
	} else {
		fmt.Fprintln(w, http.StatusText(c.Status))
	}
}

func uploadedBytes(r *http.Request, body []byte) ([]byte, error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return body, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, fmt.Errorf("no file part: %w", err)
		}
		if part.FileName() != "" || part.FormName() == "file" {
			return io.ReadAll(part)
		}
	}
}
