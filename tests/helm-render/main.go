// helm-render renders a Helm chart's templates the way `helm template` does, for tests on machines
// without Helm: Go's text/template with sprig's functions plus Helm's own (include, tpl, required,
// toYaml, fromYaml, fromYamlArray, toJson, fromJson), values.yaml deep-merged with --values files,
// and the built-in objects .Values, .Release, .Chart, .Capabilities and .Template. It prints every
// non-empty document of every template (files starting with "_" define helpers only), or with
// --notes the rendered NOTES.txt. It does not render subcharts, .Files or lookup.
//
// Build (GOPATH mode, with Debian's golang-github-masterminds-sprig-dev and golang-k8s-sigs-yaml-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render .
//
// Run: helm-render [--name release] [--namespace ns] [--values file]... [--notes] chart-dir
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

// Capabilities mirrors the fields of Helm's .Capabilities that charts use.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
}

type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

// GitVersion is Helm's older name for Version.
func (k KubeVersion) GitVersion() string { return k.Version }

func (k KubeVersion) String() string { return k.Version }

type VersionSet []string

// Has is what charts call as .Capabilities.APIVersions.Has "apps/v1".
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

const recursionLimit = 1000

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

func main() {
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.20.2", "Kubernetes version for .Capabilities")
	notes := flag.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	var files valueFiles
	flag.Var(&files, "values", "a values file merged over the chart's values.yaml (repeatable; later wins)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-render [--name release] [--namespace ns] [--values file]... [--notes] chart-dir")
		os.Exit(64)
	}
	out, err := render(flag.Arg(0), *name, *namespace, *kubeVersion, files, *notes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func render(chartDir, releaseName, namespace, kubeVersion string, files []string, notes bool) (string, error) {
	chart, err := readYAMLMap(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	chartName, _ := chart["name"].(string)
	if chartName == "" {
		return "", errors.New("Chart.yaml has no name")
	}
	values, err := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, file := range files {
		override, err := readYAMLMap(file)
		if err != nil {
			return "", err
		}
		values = merge(values, override)
	}
	major, minor := splitVersion(kubeVersion)
	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": releaseName, "Namespace": namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Chart": chartObject(chart),
		"Capabilities": Capabilities{
			KubeVersion: KubeVersion{Version: kubeVersion, Major: major, Minor: minor},
			APIVersions: VersionSet{"v1", "apps/v1", "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1",
				"policy/v1beta1", "apiextensions.k8s.io/v1", "flumek8s.io/v1alpha1"},
		},
	}

	templatesDir := filepath.Join(chartDir, "templates")
	names, err := templateFiles(templatesDir)
	if err != nil {
		return "", err
	}
	root := template.New("chart")
	funcs := helmFuncs(root)
	root.Funcs(funcs).Option("missingkey=zero")
	for _, file := range names {
		text, err := os.ReadFile(filepath.Join(templatesDir, file))
		if err != nil {
			return "", err
		}
		if _, err := root.New(path.Join(chartName, "templates", file)).Parse(string(text)); err != nil {
			return "", err
		}
	}

	var out strings.Builder
	for _, file := range names {
		base := path.Base(file)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes {
			continue
		}
		templateName := path.Join(chartName, "templates", file)
		top["Template"] = map[string]interface{}{"Name": templateName, "BasePath": path.Join(chartName, "templates")}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, templateName, top); err != nil {
			return "", err
		}
		// Helm's engine prints missing values as empty, not "<no value>".
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		if notes {
			out.WriteString(rendered)
			continue
		}
		for _, document := range documentSeparator.Split(rendered, -1) {
			if strings.TrimSpace(document) == "" {
				continue
			}
			if err := checkManifest(templateName, document); err != nil {
				return "", err
			}
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", templateName, strings.Trim(document, "\n"))
		}
	}
	return out.String(), nil
}

// checkManifest fails like Helm does on a document that is not a Kubernetes object in YAML.
func checkManifest(templateName, document string) error {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal([]byte(document), &head); err != nil {
		return fmt.Errorf("YAML parse error on %s: %v", templateName, err)
	}
	if head.APIVersion == "" || head.Kind == "" {
		return fmt.Errorf("%s: a document without apiVersion or kind:\n%s", templateName, document)
	}
	return nil
}

func templateFiles(dir string) ([]string, error) {
	var names []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(names)
	return names, err
}

// helmFuncs is sprig's text function map less what Helm removes (env, expandenv), plus Helm's own.
func helmFuncs(root *template.Template) template.FuncMap {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	includedNames := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if includedNames[name] > recursionLimit {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		includedNames[name]++
		defer func() { includedNames[name]-- }()
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, errors.New(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, errors.New(message)
		}
		return value, nil
	}
	funcs["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(text string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromYamlArray"] = func(text string) []interface{} {
		var a []interface{}
		if err := yaml.Unmarshal([]byte(text), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	funcs["fromJson"] = func(text string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	return funcs
}

// merge overlays override on base the way Helm coalesces values: maps merge key by key, anything
// else (lists included) is replaced, and a null in the override deletes the key.
func merge(base, override map[string]interface{}) map[string]interface{} {
	result := map[string]interface{}{}
	for k, v := range base {
		result[k] = v
	}
	for k, v := range override {
		if v == nil {
			delete(result, k)
			continue
		}
		baseMap, baseIsMap := result[k].(map[string]interface{})
		overrideMap, overrideIsMap := v.(map[string]interface{})
		if baseIsMap && overrideIsMap {
			result[k] = merge(baseMap, overrideMap)
		} else {
			result[k] = v
		}
	}
	return result
}

// chartObject gives Chart.yaml's fields the names Helm's .Chart has (name -> Name, appVersion -> AppVersion).
func chartObject(chart map[string]interface{}) map[string]interface{} {
	object := map[string]interface{}{}
	for k, v := range chart {
		if k == "apiVersion" {
			object["APIVersion"] = v
			continue
		}
		object[strings.ToUpper(k[:1])+k[1:]] = v
	}
	return object
}

func readYAMLMap(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return m, nil
}

func splitVersion(version string) (string, string) {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return parts[0], "0"
	}
	return parts[0], parts[1]
}
