# syntax=docker/dockerfile:1
# The EdgeFleet cache server (edge and shield roles). Build from the repository root:
#   docker build -f build/docker/cache.Dockerfile -t edgefleet/edgefleet-cache:dev .
# The operator runs it with args such as: --config /etc/edgefleet/edgefleet.json --role edge

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The repository-wide settings first: global.json pins the SDK, the props files set the compiler
# options and central package versions, .editorconfig's rules are enforced in the build.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY crds/ crds/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/EdgeFleet.Cache/EdgeFleet.Cache.csproj -c Release -o /app -p:UseAppHost=false

# Ubuntu chiseled ASP.NET runtime: no shell, no package manager, non-root "app" user (UID 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# Public cache port and admin port (metrics, health, notices, purge).
EXPOSE 8080 8081
USER $APP_UID
ENTRYPOINT ["dotnet", "EdgeFleet.Cache.dll"]
