package slackfake_test

import (
	"context"
	"strings"
	"testing"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

func TestFileUpload(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	const csv = "code,name\nC202405001,Acme Trading Co\n"

	summary, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "followups.csv", FileSize: len(csv), Reader: strings.NewReader(csv),
		Title: "Follow-ups", Channel: "D0REPDM001", InitialComment: "Your export",
	})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := fake.File(summary.ID)
	if !ok {
		t.Fatalf("file %s not stored", summary.ID)
	}
	if got, want := string(f.Content), csv; got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if f.Title != "Follow-ups" || f.Name != "followups.csv" || f.Length != len(csv) || !f.Completed {
		t.Errorf("file = %+v, want the completed upload", f)
	}
	msgs := fake.Messages("D0REPDM001")
	if len(msgs) != 1 || msgs[0].Text != "Your export" || len(msgs[0].Files) != 1 || msgs[0].Files[0] != summary.ID {
		t.Errorf("messages = %+v, want one sharing the file with the comment", msgs)
	}
	if got, want := len(fake.CallsTo(slackfake.MethodUpload)), 1; got != want {
		t.Errorf("recorded %d uploads, want %d", got, want)
	}

	t.Run("complete works once", func(t *testing.T) {
		_, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: summary.ID}}})
		if got, want := slackError(err), "file_not_found"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("complete before the bytes arrived", func(t *testing.T) {
		u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "a.txt", FileSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		_, err = api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: u.FileID}}})
		if got, want := slackError(err), "file_not_found"; got != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("without a channel the file stays private", func(t *testing.T) {
		summary, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
			Filename: "b.txt", FileSize: 1, Content: "b"})
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := fake.File(summary.ID); len(f.Channels) != 0 || f.Title != "b.txt" {
			t.Errorf("file = %+v, want private, titled by its name", f)
		}
		if got, want := len(fake.Files()), 3; got != want {
			t.Errorf("Files() = %d, want %d", got, want)
		}
	})
}
