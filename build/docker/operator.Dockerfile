# syntax=docker/dockerfile:1
# The EdgeFleet operator. Build from the repository root:
#   docker build -f build/docker/operator.Dockerfile -t edgefleet/edgefleet-operator:dev .
# The Helm chart runs it with: --metrics-listen http://0.0.0.0:8080 --leader-election-namespace <ns>

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY operator/ operator/
# EdgeFleet.Api embeds the CRDs, so the operator validates against exactly what the chart installs.
COPY crds/ crds/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish operator/EdgeFleet.Operator/EdgeFleet.Operator.csproj -c Release -o /app -p:UseAppHost=false

# Ubuntu chiseled ASP.NET runtime (the metrics and health listener is Kestrel): no shell, no
# package manager, non-root "app" user (UID 1654, as the chart's podSecurityContext expects).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "EdgeFleet.Operator.dll"]
