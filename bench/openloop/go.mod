module maroonedpods.io/bench/openloop

go 1.19
