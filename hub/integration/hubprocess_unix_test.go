//go:build unix

package integration_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hubProcess is a hub running as a process of its own: this test binary,
// running only the test named run, which finds where its data is (source:
// a data file or a database address) and the address to listen on in the
// environment variable env. A test kills it with SIGKILL and starts it
// again on the same address.
type hubProcess struct {
	t                *testing.T
	run, env         string
	source, addr     string
	url, fingerprint string
	cmd              *exec.Cmd
}

// newHubProcess is a hub process of test run on source, not yet started,
// that will listen on a free port of 127.0.0.1.
func newHubProcess(t *testing.T, run, env, source string) *hubProcess {
	return &hubProcess{t: t, run: run, env: env, source: source, addr: "127.0.0.1:0"}
}

// start runs the hub process and waits until it listens (or fails the test).
func (h *hubProcess) start() {
	h.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+h.run+"$")
	cmd.Env = append(os.Environ(), h.env+"="+h.source+"|"+h.addr)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		h.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if line := scanner.Text(); strings.HasPrefix(line, "ready ") || strings.HasPrefix(line, "error ") {
				ready <- line
			}
		}
		close(ready)
	}()
	select {
	case line := <-ready:
		if _, err := fmt.Sscanf(line, "ready %s %s", &h.url, &h.fingerprint); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			h.t.Fatalf("the hub process: %s", line)
		}
		h.addr = strings.TrimPrefix(h.url, "https://")
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		h.t.Fatal("the hub process did not start")
	}
	h.cmd = cmd
}

func (h *hubProcess) kill() {
	h.cmd.Process.Signal(syscall.SIGKILL)
	h.cmd.Wait()
}

// The side of the hub process itself.

// hubProcessSpec is the source and the address a hub process was started
// with; false when this test binary is not a hub process of env.
func hubProcessSpec(env string) (source, addr string, ok bool) {
	spec := os.Getenv(env)
	if spec == "" {
		return "", "", false
	}
	source, addr, _ = strings.Cut(spec, "|")
	return source, addr, true
}

// failHubProcess tells the test that started this hub process why it could
// not serve, and ends the process.
func failHubProcess(err error) {
	fmt.Println("error", err)
	os.Exit(2)
}

// listenAgain listens on addr, waiting a moment for the socket of the hub
// that was killed there to go.
func listenAgain(addr string) (net.Listener, error) {
	var ln net.Listener
	var err error
	for range 100 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return ln, err
}

// announceReady tells the test that started this hub process where it
// listens and which certificate it shows.
func announceReady(ln net.Listener, fingerprint string) {
	fmt.Printf("ready https://%s %s\n", ln.Addr(), fingerprint)
}
