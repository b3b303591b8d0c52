module github.com/rca-dev/rca

go 1.26.8

require (
	github.com/BobuSumisu/aho-corasick v1.0.3
	github.com/araddon/dateparse v0.0.0-20210429162001-6b43995a97de
	github.com/spf13/cobra v1.10.2
	golang.org/x/text v0.44.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
