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

func TestShareFileAndDownload(t *testing.T) {
	ctx := context.Background()
	fake, api, _ := setup(t)
	content := []byte("客户名称,跟进日期,跟进内容\n百川商贸,2024-05-10,电话沟通\n")
	file, ts := fake.ShareFile("U0REP00001", "U0REP00001", "跟进记录.csv", content, "please import")
	if file.Filetype != "csv" || file.Size != len(content) || file.User != "U0REP00001" || file.URLPrivateDownload == "" || ts == "" {
		t.Fatalf("file = %+v", file)
	}
	msgs := fake.Messages("U0REP00001")
	if len(msgs) != 1 || len(msgs[0].Files) != 1 || msgs[0].Files[0] != file.ID || msgs[0].TS != ts {
		t.Errorf("messages = %+v, want the file_share message in the DM", msgs)
	}

	var buf strings.Builder
	if err := api.GetFileContext(ctx, file.URLPrivateDownload, &buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != string(content) {
		t.Errorf("downloaded %q, want %q", got, content)
	}
	if got, want := len(fake.CallsTo(slackfake.MethodDownload)), 1; got != want {
		t.Errorf("recorded %d downloads, want %d", got, want)
	}

	t.Run("without the token Slack sends the sign-in page", func(t *testing.T) {
		other := slack.New("xoxb-someone-else", slack.OptionAPIURL(fake.APIURL()))
		err := other.GetFileContext(ctx, file.URLPrivateDownload, &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), "sign-in") {
			t.Errorf("err = %v, want the sign-in redirect reported", err)
		}
	})
	t.Run("files.info", func(t *testing.T) {
		info, _, _, err := api.GetFileInfoContext(ctx, file.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if info.URLPrivateDownload != file.URLPrivateDownload || info.Name != "跟进记录.csv" {
			t.Errorf("files.info = %+v", info)
		}
		if _, _, _, err := api.GetFileInfoContext(ctx, "F0NOPE", 0, 0); slackError(err) != "file_not_found" {
			t.Errorf("unknown file: err = %v, want file_not_found", err)
		}
	})
	t.Run("an uploaded file is served once completed", func(t *testing.T) {
		summary, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "export.xlsx", FileSize: 3, Content: "abc", Channel: "D0REPDM001"})
		if err != nil {
			t.Fatal(err)
		}
		info, _, _, err := api.GetFileInfoContext(ctx, summary.ID, 0, 0)
		if err != nil || info.User != slackfake.BotUserID || info.Filetype != "xlsx" {
			t.Fatalf("files.info = %+v, %v", info, err)
		}
		var got strings.Builder
		if err := api.GetFileContext(ctx, info.URLPrivateDownload, &got); err != nil || got.String() != "abc" {
			t.Errorf("downloaded %q, %v", got.String(), err)
		}
	})
}
