// Draws each chart of a Sluice drift report from the JSON block #sluice-report-data: every chart
// holds its container's id and its ECharts option. SVG rendering, so every bar and point is a DOM
// element; options are plain JSON (no functions), with animations off.
(function () {
  var data = JSON.parse(document.getElementById('sluice-report-data').textContent);
  var charts = data.charts.map(function (chart) {
    var instance = echarts.init(document.getElementById(chart.id), null, {renderer: 'svg'});
    instance.setOption(chart.option);
    return instance;
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
