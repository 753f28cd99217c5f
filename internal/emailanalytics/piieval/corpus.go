package piieval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Email is one corpus email with its labels.
type Email struct {
	Name        string // file name without extension
	ContentType string // text/html or text/plain, from the extension
	Body        string
	Labels      []Label
}

// Label is one expected entity.
type Label struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// labelFile is the JSON file next to each email.
type labelFile struct {
	Entities []Label `json:"entities"`
	Note     string  `json:"note,omitempty"`
}

// LoadCorpus reads every .html and .txt email in dir with its .json labels.
func LoadCorpus(dir string) ([]Email, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Email
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		ct := map[string]string{".html": "text/html", ".txt": "text/plain"}[ext]
		if ct == "" {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ext)
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		raw, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			return nil, fmt.Errorf("labels for %s: %w", e.Name(), err)
		}
		var lf labelFile
		if err := json.Unmarshal(raw, &lf); err != nil {
			return nil, fmt.Errorf("labels for %s: %w", e.Name(), err)
		}
		out = append(out, Email{Name: name, ContentType: ct, Body: string(body), Labels: lf.Entities})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no emails in %s", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
