package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup/bot/slackfake"
)

// The fake Slack runs in a child process (this program, `fake-slack`), so that the bench
// process's RSS is the bot's and the load generator's, not the fake's record of every call
// and published view.

// serveFakeSlack runs the fake, with members as the workspace's people (conversations.open
// knows only them, as Slack does), until stdin closes (the parent is done or gone) and
// prints, one a line: the API URL, a response URL, a trigger id and the accepted bot token.
func serveFakeSlack(ctx context.Context, members []string, stdin io.Reader, stdout io.Writer) error {
	s := slackfake.New()
	defer s.Close()
	for _, id := range members {
		s.AddUser(slack.User{ID: id, Name: strings.ToLower(id)})
	}
	fmt.Fprintf(stdout, "%s\n%s\n%s\n%s\n", s.APIURL(), s.ResponseURL(), s.NewTriggerID(), s.Token())
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, stdin); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}

// fakeSlack is the child process running the fake.
type fakeSlack struct {
	APIURL, ResponseURL, TriggerID, Token string
	cmd                                   *exec.Cmd
	stdin                                 io.Closer
}

func startFakeSlack(ctx context.Context, members []string) (*fakeSlack, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, append([]string{"fake-slack"}, members...)...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start fake slack: %w", err)
	}
	f := &fakeSlack{cmd: cmd, stdin: stdin}
	sc := bufio.NewScanner(stdout)
	var lines []string
	for len(lines) < 4 && sc.Scan() {
		lines = append(lines, strings.TrimSpace(sc.Text()))
	}
	if len(lines) < 4 {
		f.Close()
		return nil, errors.New("fake slack did not start")
	}
	f.APIURL, f.ResponseURL, f.TriggerID, f.Token = lines[0], lines[1], lines[2], lines[3]
	return f, nil
}

// Close stops the child: closing its stdin is its signal to go.
func (f *fakeSlack) Close() {
	f.stdin.Close()
	f.cmd.Wait()
}
