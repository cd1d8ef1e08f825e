using BenchmarkDotNet.Running;

// Micro benchmarks of the storage hot paths, never run by CI. Examples:
//   dotnet run -c Release --project bench/EdgeFleet.Bench.Micro -- --filter '*EvictionPolicy*'
//   dotnet run -c Release --project bench/EdgeFleet.Bench.Micro -- --filter '*RecordHit*' --job short
BenchmarkSwitcher.FromAssembly(typeof(EdgeFleet.Bench.Micro.HitPathBenchmarks).Assembly).Run(args);
